/**
 * How every test launches Chromium: Debian's binary (Playwright's download is not
 * available here), headless, with the flags that keep it from calling home.
 */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--metrics-recording-only',
];

export const chromiumLaunchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: chromiumArgs,
};
