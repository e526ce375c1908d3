// Entry of the respondent's page (self.html, served at /self): its own small bundle, built apart
// from the field app (vite.config.ts, selfPage), so none of the app's code reaches this phone.
import { startSelfPage } from './page.ts';
import './self.css';

const root = document.getElementById('root');
if (root) {
  startSelfPage(root, {
    fetch: window.fetch.bind(window),
    storage: window.localStorage,
    random: (b) => crypto.getRandomValues(b),
    location: window.location,
    history: window.history,
  });
}
