// The responders feature's service: the roster for staff, and the phone app's own view, duty and
// position. What a responder is doing comes from the cases feature, never from its tables.
import type { LocationUpdate, ResponderMe, ResponderSummary, User } from "../../protocol/index.ts";
import { inScope, requirePermission, requireResponder } from "../auth/access.ts";
import type { Clock } from "../clock.ts";
import { DomainError } from "../errors.ts";
import type { Notifier } from "../notifier.ts";
import { toResponderSummary, type ResponderRegistry, type ResponderWork } from "./registry.ts";

/** What this feature needs from the cases feature. */
export interface CaseWork {
  responderWork(responderIds?: readonly number[]): Promise<Map<number, ResponderWork>>;
  responderView(
    responderId: number,
    work: ResponderWork | undefined,
  ): Promise<Pick<ResponderMe, "offers" | "activeCase">>;
}

export class ResponderService {
  constructor(
    private readonly registry: ResponderRegistry,
    private readonly cases: CaseWork,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
  ) {}

  /** The roster in service, of the caller's communities. */
  async list(user: User): Promise<ResponderSummary[]> {
    requirePermission(user, "responder.read");
    const work = await this.cases.responderWork();
    return this.registry
      .all()
      .filter((r) => inScope(user, r.communityId))
      .map((r) => toResponderSummary(r, work.get(r.id)));
  }

  /** Everything the phone shows after a (re)connect. */
  async me(user: User): Promise<ResponderMe> {
    const id = requireResponder(user);
    const r = await this.registry.find(id);
    if (!r) throw new DomainError("not_found", "responder not found");
    const work = (await this.cases.responderWork([id])).get(id);
    return { responder: toResponderSummary(r, work), ...(await this.cases.responderView(id, work)) };
  }

  async setDuty(user: User, onDuty: boolean): Promise<ResponderSummary> {
    const id = requireResponder(user);
    if (!(await this.registry.setDuty(id, onDuty))) throw new DomainError("not_found", "responder not found");
    return this.announce(id);
  }

  async setLocation(user: User, at: LocationUpdate): Promise<void> {
    const id = requireResponder(user);
    if (await this.registry.setLocation(id, at.lat, at.lng, this.clock.now())) await this.announce(id);
  }

  /** Tells staff and the phone itself what the responder now looks like. */
  private async announce(id: number): Promise<ResponderSummary> {
    const r = (await this.registry.find(id))!;
    const summary = toResponderSummary(r, (await this.cases.responderWork([id])).get(id));
    this.notifier.responderChanged(summary);
    return summary;
  }
}
