// The offline round trip (tests/e2e/engines/round-trip.ts) on Debian's Firefox ESR, over WebDriver BiDi.
import { firefoxEngine } from './engines/firefox.ts';
import { describeOfflineRoundTrip } from './engines/round-trip.ts';

describeOfflineRoundTrip(firefoxEngine);
