// Family next to everyone else: every change of a case is shown live on the family view of the
// resident's members, and each stage a member was chosen to hear of (received, someone coming, on
// scene, resolved, cancelled) is told to them once, by Web Push and, where configured, by SMS.
// Fire and forget after the commit, like every notifier: a failure is logged, never thrown.
import type { Logger } from "pino";
import { familyStageOf, type CaseSummary } from "../../protocol/index.ts";
import type { Clock } from "../clock.ts";
import type { SqlDatabase } from "../db/sql.ts";
import type { Notifier } from "../notifier.ts";
import { isFamilyCase } from "./case-view.ts";
import { caseNotice, type Notice, type NoticeLanguage } from "./messages.ts";
import * as repo from "./repository.ts";
import type { FamilyService } from "./service.ts";
import type { SmsGateway } from "./sms.ts";

/** How notices reach a family user's browser (the push feature); none: live view and SMS only. */
export interface FamilyPush {
  deliver(userId: number, message: (lang: NoticeLanguage) => Notice & { caseId: number; url: string }): void;
}

export interface FamilyNotifierDeps {
  db: SqlDatabase;
  clock: Clock;
  logger: Logger;
  family: Pick<FamilyService, "membersToTell" | "view">;
  sms: SmsGateway;
  push: FamilyPush | null;
}

export function withFamily<N extends Pick<Notifier, "caseChanged" | "familyCase">>(
  base: N,
  deps: FamilyNotifierDeps,
): N {
  const tell = async (summary: CaseSummary): Promise<void> => {
    if (!isFamilyCase(summary)) return;
    const members = await deps.family.membersToTell(summary.residentId);
    if (members.length === 0) return;
    const stage = familyStageOf(summary.status);
    for (const m of members) {
      if (m.userId !== null) base.familyCase(m.userId, await deps.family.view(summary, m));
      if (!m.notify.stages.includes(stage)) continue;
      const first = await deps.db.write((tx) =>
        repo.claimNotice(tx, summary.id, m.id, stage, deps.clock.now()),
      );
      if (!first) continue;
      if (m.userId !== null && deps.push) {
        const userId = m.userId;
        deps.push.deliver(userId, (lang) => ({
          ...caseNotice(lang, summary, stage),
          caseId: summary.id,
          url: `/family?case=${summary.id}`,
        }));
      }
      if (m.notify.sms && deps.sms.configured) {
        void deps.sms.send({
          to: m.phone,
          text: caseNotice("zh-CN", summary, stage).body,
          kind: "case",
          caseId: summary.id,
        });
      }
    }
  };
  return {
    ...base,
    caseChanged(summary, created) {
      base.caseChanged(summary, created);
      tell(summary).catch((err: unknown) =>
        deps.logger.error({ err, caseId: summary.id }, "telling the family of a case failed"),
      );
    },
  };
}
