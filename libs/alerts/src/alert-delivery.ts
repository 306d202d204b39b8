import type { AlertRecord } from '@twitch-pipeline/schemas';
import { AlertClaimedElsewhereError } from './alert-claimed-elsewhere-error';
import type { AlertLedger, AlertPublisher } from './ports';

/** Deliveries in progress in this process, per ledger: a second evaluation of the same key waits for the first. */
const inProgress = new WeakMap<AlertLedger, Map<string, Promise<boolean>>>();

/** How one alert is delivered: the ledger, the publishers, the claim's lease and who hears of an unmarked one. */
export interface Delivery {
  /** The once-only guard: its claim is held while the publishers run. */
  ledger: AlertLedger;
  publishers: readonly AlertPublisher[];
  /** How long a claim protects a delivery in progress. */
  leaseMs: number;
  /** Told of an alert published but not marked delivered; without it, that error is thrown. */
  onUnmarked?: (alert: AlertRecord, error: Error) => void;
}

async function claimAndPublish(alert: AlertRecord, { ledger, publishers, leaseMs, onUnmarked }: Delivery): Promise<boolean> {
  const claim = await ledger.claim(alert, leaseMs);
  if (claim === 'delivered') return false;
  if (claim === 'claimed-elsewhere') throw new AlertClaimedElsewhereError(alert.key);
  try {
    for (const publisher of publishers) await publisher.publish(alert);
  } catch (error) {
    // Give the key back so the redelivered message can send the alert; otherwise it would wait
    // for the lease. A failed release must not hide why the alert was not sent.
    await ledger.release(alert.key).catch((releaseError: Error) => {
      const both = new Error(`${(error as Error).message} (and the claim on alert ${alert.key} was not released: ${releaseError.message})`, { cause: error });
      // The publisher's error name stays (ThrottlingException, …): the logs and retries go by it.
      both.name = (error as Error).name;
      throw both;
    });
    throw error;
  }
  try {
    await ledger.markDelivered(alert);
  } catch (error) {
    if (!onUnmarked) throw error;
    onUnmarked(alert, error as Error);
  }
  return true;
}

/**
 * Delivers one alert at most once per key: claims it in the ledger, runs every publisher while
 * the claim is held, then marks it delivered. Returns false when the key was delivered already
 * (by an earlier message, or by another evaluation of this process under way). If a publisher
 * fails, the key is released and the error rethrown; a key another consumer holds raises
 * {@link AlertClaimedElsewhereError}.
 *
 * @example
 * const sent = await deliverAlert(alert, { ledger, publishers: [sns], leaseMs: DEFAULT_CLAIM_LEASE_MS });
 */
export async function deliverAlert(alert: AlertRecord, delivery: Delivery): Promise<boolean> {
  const { ledger } = delivery;
  const pending = inProgress.get(ledger) ?? new Map<string, Promise<boolean>>();
  inProgress.set(ledger, pending);
  const running = pending.get(alert.key);
  if (running) {
    // The same key from another message of this process: delivered once, by whichever came first.
    await running;
    return false;
  }
  const delivering = claimAndPublish(alert, delivery);
  pending.set(alert.key, delivering);
  try {
    return await delivering;
  } finally {
    pending.delete(alert.key);
  }
}
