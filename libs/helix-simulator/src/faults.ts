/** Fault knobs of the simulator. Rates are probabilities in [0, 1]; every knob defaults to off. */
export interface SimulatorFaults {
  /** Delay before every response, in milliseconds. */
  latencyMs: number;
  /** Share of Helix calls answered with a JSON 500 or 503. */
  serverErrorRate: number;
  /** Share of Helix calls answered with a 502 HTML page (as a CDN in front of Helix would). */
  htmlErrorRate: number;
  /** Share of Helix calls answered with a spurious 429 even though the bucket has points. */
  rateLimitRate: number;
  /** Share of Helix calls whose connection is dropped without a response (a network error). */
  connectionResetRate: number;
  /** Share of stream records served with one field missing, null or of the wrong type. */
  malformedRate: number;
  /** Share of stream records served with unknown extra fields. */
  extraFieldRate: number;
  /**
   * Streams that go live at the top of the list before each page after the first of a crawl
   * (while the crawl still gets full pages): offset cursors then repeat records at page bounds.
   */
  listDrift: number;
  /** Share of calls with a cursor answered `400 invalid cursor`. */
  invalidCursorRate: number;
  /** When set, the cursor of the last page leads back to the first page. */
  cursorLoop: boolean;
  /** Lifetime of newly issued tokens in seconds; 0 keeps the simulator's normal lifetime. */
  tokenLifetimeSeconds: number;
}

/** Every knob off. */
export const NO_FAULTS: Readonly<SimulatorFaults> = {
  latencyMs: 0,
  serverErrorRate: 0,
  htmlErrorRate: 0,
  rateLimitRate: 0,
  connectionResetRate: 0,
  malformedRate: 0,
  extraFieldRate: 0,
  listDrift: 0,
  invalidCursorRate: 0,
  cursorLoop: false,
  tokenLifetimeSeconds: 0,
};
