// The small browser interface the cross-engine round trip is written against (round-trip.ts),
// with one adapter per engine: firefox.ts (puppeteer-core over WebDriver BiDi) and webkit.ts
// (selenium-webdriver over WebKitWebDriver). Only what both protocols do natively is here; every
// query (waits, texts, attributes) goes through `evaluate`, so the adapters stay thin and the
// scenario reads the same on each engine.
import { existsSync } from 'node:fs';
import type { PersistOutcome } from '../../../src/client/ui/LoginScreen.tsx';

/** A JSON value: what a script may take from and hand back to the test through either protocol. */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };

export interface EngineDriver {
  /** Navigates and waits for the load event. */
  goto(url: string): Promise<void>;
  /** Reloads the page (an enumerator pulling down to refresh, or the OS reviving the tab). */
  reload(): Promise<void>;
  currentUrl(): Promise<string>;
  /** A real (trusted) click in the middle of the first element matching `css`, scrolled into view. */
  click(css: string): Promise<void>;
  /** Focuses the first `css` match, replaces its text by typing `text` key by key, then leaves it (blur). */
  type(css: string, text: string): Promise<void>;
  /** Picks the option with `value` in the <select> matching `css`, as a user would. */
  select(css: string, value: string): Promise<void>;
  /** Runs `fn` in the page with JSON arguments; a returned promise is awaited. */
  evaluate<R extends Json | undefined, A extends Json[]>(fn: (...args: A) => R | Promise<R>, ...args: A): Promise<R>;
  /**
   * The engine's own network emulation (navigator.onLine turns false and `offline` / `online`
   * fire), where its automation protocol has one. Without it, the round trip cuts the proxy only,
   * as a phone in a dead zone that still believes it has signal.
   */
  setOffline?(offline: boolean): Promise<void>;
  /** Sends the app to the background and back (visibilitychange hidden, then visible), where possible. */
  backgroundAndBack?(): Promise<void>;
  /** Ends the browser (and its driver processes); the profile stays where the launcher put it. */
  close(): Promise<void>;
}

export interface Engine {
  /** For messages: "Firefox ESR", "WebKitGTK". */
  readonly label: string;
  /** Binaries the engine needs; a missing one fails the suite with an install hint. */
  readonly binaries: readonly string[];
  /** Debian packages that provide them (what .ci/run installs). */
  readonly packages: readonly string[];
  /** Starts the browser on `profileDir` (created by the caller; reused for a cold restart). */
  launch(profileDir: string): Promise<EngineDriver>;
  /**
   * Whether storage survives closing the browser: false where the automation session is
   * ephemeral by design (WebKitGTK's MiniBrowser in --automation mode keeps everything in memory),
   * so the round trip's cold restart is possible only where this is true.
   */
  readonly keepsStorageAcrossLaunches: boolean;
  /** What the sign-in screen reports about navigator.storage.persist() on this engine. */
  readonly persist: PersistOutcome;
  /** Whether the engine exposes Background Sync (SyncManager). */
  readonly backgroundSync: boolean;
}

/**
 * Fails (never skips) when an engine's binaries are missing: the suites are part of the e2e run,
 * and .ci/run installs the Debian packages, as it does Chromium.
 */
export function requireBinaries(engine: Engine): void {
  const missing = engine.binaries.filter((b) => !existsSync(b));
  if (missing.length > 0) {
    throw new Error(`${engine.label}: ${missing.join(', ')} missing. Run \`bash .ci/run\` (it apt-get installs ${engine.packages.join(' ')}), or install those Debian packages yourself.`);
  }
}
