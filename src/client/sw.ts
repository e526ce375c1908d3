/// <reference lib="webworker" />
// Service worker: filled in by the app (precache, offline shell, update handshake, sync wake-up).
export {};
