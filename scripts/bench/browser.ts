import { chromium, type Browser } from 'playwright-core';

/** "in headless Chromium with 4× CPU throttling (CDP `Emulation.setCPUThrottlingRate`)" */
export const CPU_THROTTLING = 4;

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's headless Chromium (TOOLCHAIN.md), or CHROME_PATH. */
export const launchChromium = (): Promise<Browser> =>
  chromium.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
