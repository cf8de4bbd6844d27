import type { RTCSession } from 'jssip/lib/RTCSession';

/**
 * JsSIP sends the INVITE (or the 200 OK) only when ICE gathering completes. With a STUN/TURN server that is
 * slow or unreachable that can take tens of seconds, so once the first candidate arrives we give gathering
 * `capMs` more and then let JsSIP send what it has (RFC 8445 §5.1.1: host candidates suffice to a media
 * anchor on a reachable address; srflx/relay usually arrive within a few hundred ms).
 */
export function capIceGathering(session: RTCSession, capMs = 1500): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  session.on('icecandidate', (event) => {
    if (timer === undefined) timer = setTimeout(event.ready, capMs);
  });
  const clear = (): void => {
    if (timer !== undefined) clearTimeout(timer);
  };
  session.on('sending', clear);
  session.on('accepted', clear);
  session.on('ended', clear);
  session.on('failed', clear);
}
