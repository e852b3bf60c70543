import { registerSW } from 'virtual:pwa-register';

/**
 * The service worker: registered after the first query (so it does not compete
 * with the engine's start-up), it precaches the app and the engine for offline use
 * and tells us when a new build is waiting.
 */
export class Pwa {
  needRefresh = $state(false);
  offlineReady = $state(false);
  #update: ((reload?: boolean) => Promise<void>) | undefined;

  register() {
    if (this.#update || !('serviceWorker' in navigator)) return;
    this.#update = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.needRefresh = true),
      onOfflineReady: () => (this.offlineReady = true),
    });
  }

  /**
   * Activate the waiting build and reload into it. Workbox reloads once the new
   * worker takes control; a page the old worker never controlled (the very first
   * visit) gets no such signal, so it reloads itself shortly after.
   */
  async update() {
    this.needRefresh = false;
    await this.#update?.(true);
    if (!navigator.serviceWorker.controller) setTimeout(() => location.reload(), 1500);
  }

  dismiss() {
    this.needRefresh = false;
    this.offlineReady = false;
  }
}
