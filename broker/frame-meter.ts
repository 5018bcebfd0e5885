// Follows MQTT packet boundaries in a byte stream without buffering it: reads only the fixed
// header of each packet (MQTT 3.1.1 §2.2) and skips the rest. Used on both directions of every
// connection to count packets, and inbound to refuse packets above a size limit before the
// parser starts collecting them — mqtt-packet, which aedes uses, has no such limit and would
// buffer a declared 256 MB packet (aedes issue #831).

const enum State {
  Type,
  Length,
  Body,
  Stopped,
}

/** Control packet type in the high nibble of the first byte (MQTT 3.1.1 §2.2.1). */
export const PACKET_TYPE_PUBLISH = 3;

export interface FrameMeterOptions {
  /** Called once per complete packet. */
  onFrame: (type: number, totalBytes: number) => void;
  /** Largest accepted packet, fixed header included (asked per packet). Infinity = no limit. */
  maxPacketBytes?: number | (() => number);
  /** Called once when the limit is exceeded or the header is malformed; the meter then stops. */
  onViolation?: (kind: "too-large" | "malformed", message: string) => void;
}

export class FrameMeter {
  private state = State.Type;
  private type = 0;
  private length = 0;
  private multiplier = 1;
  private lengthBytes = 0;
  private remaining = 0;

  constructor(private readonly opts: FrameMeterOptions) {}

  /** Read from the options at every packet (no closure kept per meter: two meters per connection). */
  private limit(): number {
    const max = this.opts.maxPacketBytes;
    return typeof max === "function" ? max() : (max ?? Infinity);
  }

  /** Strings come from mqtt-packet's writer (topic names); they are always inside a packet body. */
  feed(chunk: Uint8Array | string, encoding: BufferEncoding = "utf8"): void {
    if (typeof chunk === "string") {
      const size = Buffer.byteLength(chunk, encoding);
      if (this.state === State.Body && size <= this.remaining) {
        this.remaining -= size;
        if (this.remaining === 0) this.complete();
        return;
      }
      chunk = Buffer.from(chunk, encoding);
    }
    let i = 0;
    const n = chunk.length;
    while (i < n && this.state !== State.Stopped) {
      if (this.state === State.Body) {
        const take = Math.min(this.remaining, n - i);
        this.remaining -= take;
        i += take;
        if (this.remaining === 0) this.complete();
        continue;
      }
      const byte = chunk[i++]!;
      if (this.state === State.Type) {
        this.type = byte >> 4;
        this.length = 0;
        this.multiplier = 1;
        this.lengthBytes = 0;
        this.state = State.Length;
        continue;
      }
      // Remaining Length: 7 bits per byte, high bit = more follows, at most 4 bytes (§2.2.3).
      this.length += (byte & 0x7f) * this.multiplier;
      this.multiplier *= 128;
      this.lengthBytes++;
      const limit = this.limit();
      if (1 + this.lengthBytes + this.length > limit) {
        return this.stop("too-large", `packet larger than ${limit} bytes`);
      }
      if (byte & 0x80) {
        if (this.lengthBytes === 4) return this.stop("malformed", "malformed remaining length");
        continue;
      }
      if (this.length === 0) this.complete();
      else {
        this.remaining = this.length;
        this.state = State.Body;
      }
    }
  }

  private complete(): void {
    this.state = State.Type;
    this.opts.onFrame(this.type, 1 + this.lengthBytes + this.length);
  }

  private stop(kind: "too-large" | "malformed", message: string): void {
    this.state = State.Stopped;
    this.opts.onViolation?.(kind, message);
  }
}
