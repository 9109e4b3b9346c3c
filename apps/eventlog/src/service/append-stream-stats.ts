/**
 * What the server's AppendStream calls hold right now, and the most one
 * stream ever held: the observable side of the flow-control bound
 * (tests and operators check `peakUnanswered` against the window).
 */
export class AppendStreamStats {
  /** Open AppendStream calls. */
  open = 0;
  /** Unanswered appends over all open streams (received, response not yet handed to grpc-js). */
  unanswered = 0;
  /** The most unanswered appends one stream held at any moment since start. */
  peakUnanswered = 0;
  /** The most values one stream held in unanswered appends at any moment since start. */
  peakUnansweredValues = 0;
  /** Requests read since start (a batch is one request). */
  requests = 0;
  /** Appends read since start (a batch's appends one by one). */
  appends = 0;
}
