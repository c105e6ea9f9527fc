/** A clock in Unix seconds. Injected wherever a rule depends on the time, so tests can pin it. */
export type UnixClock = () => number;

export const unixNow: UnixClock = () => Math.floor(Date.now() / 1000);
