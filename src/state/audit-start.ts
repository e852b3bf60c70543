/**
 * "Start audit" from the overview or the empty state: the Audit view opens at the
 * first open question and lets the data propose its answers. The request is a flag
 * the view takes once, so opening the audit from the menu later keeps its place.
 */
let requested = false;

/** Ask the Audit view (about to open through the #audit link) to start guided. */
export function requestAuditStart(): void {
  requested = true;
}

/** Whether a guided start was asked for; clears the request. */
export function takeAuditStart(): boolean {
  const was = requested;
  requested = false;
  return was;
}
