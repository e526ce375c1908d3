// Every unit test gets real-behaving IndexedDB (fake-indexeddb) without touching the browser.
import 'fake-indexeddb/auto';
