// The offline round trip (tests/e2e/engines/round-trip.ts) on Debian's WebKitGTK, through WebKitWebDriver under Xvfb.
import { webkitEngine } from './engines/webkit.ts';
import { describeOfflineRoundTrip } from './engines/round-trip.ts';

describeOfflineRoundTrip(webkitEngine);
