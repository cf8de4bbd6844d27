import type { RTCSession } from 'jssip/lib/RTCSession';

/**
 * JsSIP sends the 200 OK only when ICE gathering completes; an unreachable STUN/TURN server can stretch that
 * to tens of seconds while the caller waits. Once the first candidate arrives, give gathering `capMs` more,
 * then let JsSIP send what it has (host candidates reach the bridge's media anchor; RFC 8445 §5.1.1).
 */
export function capIceGathering(session: RTCSession, capMs = 1500): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  session.on('icecandidate', (event) => {
    if (timer === undefined) timer = setTimeout(event.ready, capMs);
  });
  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
  };
  session.on('accepted', clear);
  session.on('ended', clear);
  session.on('failed', clear);
}
