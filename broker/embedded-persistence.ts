// The embedded broker's session store: aedes-persistence's memory store, used as aedes calls it
// (with promises), and without stream work for what is empty.
//
// Why: measured with 19,000 devices connecting (docs/performance.md, "Connections"), half of what
// the platform then held per connection was not connections but garbage of their handshakes,
// promoted to the old generation while the storm kept them alive across collections and left
// there with the fleet idle. Nearly all of it came from two streams per device: the offline
// queue handed over at CONNECT and the retained messages looked up at SUBSCRIBE. The package's
// default export wraps each of those streams in a second one (its callback layer, which aedes
// does not need). And the store of retained messages is empty unless a service user retains one:
// devices' messages and wills never are (acl.ts, pre-connect.ts), nor the platform's own; while
// it is empty, the lookup answers with an empty stream instead of building one to filter.
import { Readable } from "node:stream";
import MemoryPersistence from "aedes-persistence/asyncPersistence.js";
import type { AedesPacket } from "aedes-packet";

export class EmbeddedPersistence extends MemoryPersistence {
  /** Topics with a retained message: kept so that the lookup stays right if one ever is. */
  private readonly retainedTopics = new Set<string>();

  override storeRetained(packet: AedesPacket): Promise<void> {
    const { topic, payload } = packet as { topic: string; payload: Buffer | string };
    if (payload.length === 0) this.retainedTopics.delete(topic);
    else this.retainedTopics.add(topic);
    return super.storeRetained(packet);
  }

  override createRetainedStreamCombi(patterns: string[]): Readable {
    if (this.retainedTopics.size === 0) return Readable.from([]);
    return super.createRetainedStreamCombi(patterns);
  }
}
