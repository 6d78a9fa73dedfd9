import { UserError } from "../../core/errors.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { Deliveries, FailedDelivery } from "../../scheduler/port.ts";

export type { FailedDelivery };
export { expiredError, unreadableError } from "../../scheduler/outbox-finish.ts";
import { requireCoordinator, type Scope } from "../actor.ts";

/** Failed deliveries of a team: what coordinators see and send again. */
export interface DeliveriesService {
  /** Coordinators: the team's failed deliveries, newest first (at most 20). */
  failed(scope: Scope): Promise<FailedDelivery[]>;
  /**
   * Coordinators: a failed delivery of the team to send again. The command returns it, so it
   * goes through the outbox anew (after what is queued now); its feature's record (a
   * reminder becoming delivered) goes with it.
   */
  resend(scope: Scope, id: number): Promise<OutgoingMessage>;
}

export function createDeliveriesService(db: DbOrTx, deliveries: Deliveries): DeliveriesService {
  return {
    async failed(scope) {
      requireCoordinator(scope.actor);
      return deliveries.failed(scope.team.ref, 20);
    },
    async resend(scope, id) {
      requireCoordinator(scope.actor);
      const message = await deliveries.takeFailed(db, scope.team.ref, id);
      if (!message) throw new UserError("outbox.errors.notFound", { id });
      return message;
    },
  };
}
