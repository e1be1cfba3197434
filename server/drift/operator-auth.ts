/**
 * Who may act on drift events (acknowledge, resolve, silence). The seam for governance: until its sign-in exists
 * (issue 8, another branch), the operator proves themselves with the node token, as a node does for POST
 * /api/v1/blocks. When sign-in lands, `authorizeOperator` should accept a signed-in member with the `operator` role
 * (the session cookie) first, and keep the node token for the CLI and scripts. Anonymous visitors can only read.
 */
import { authenticate } from "../http/push-blocks";

export interface Operator {
  /** Recorded with each action ("node-token" until member sign-in exists). */
  actor: string;
}

export function authorizeOperator(request: Request): Operator {
  authenticate(request);
  return { actor: "node-token" };
}
