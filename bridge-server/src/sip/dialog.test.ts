import { describe, expect, it } from 'vitest';
import { TransitionError } from '../errors.js';
import { Dialog, dialogTransitions, type DialogState } from './dialog.js';
import { createResponse } from './message-builders.js';
import { getHeader, getHeaders, type SipRequest } from './message.js';
import { parseNameAddr } from './name-addr.js';
import { MemoryConnection, request } from './sip-test-kit.js';

function uasDialog(recordRoute?: string[]) {
  const invite = request('INVITE');
  invite.cseq.seq = 7;
  if (recordRoute) invite.headers.set('record-route', recordRoute);
  const ok = createResponse(invite, 200, undefined, { toTag: 'ours' });
  const conn = new MemoryConnection();
  const dialog = Dialog.fromUas(invite, ok, conn, { localContact: parseNameAddr('<sip:b2bua@sambung.invalid;transport=ws>') });
  return { invite, ok, dialog, conn };
}

function uacDialog(status = 200, recordRoute?: string[]) {
  const invite = request('INVITE');
  const res = createResponse(invite, status, undefined, {
    toTag: 'theirs',
    headers: { Contact: '<sip:agent@10.0.0.9;transport=ws>', ...(recordRoute ? { 'Record-Route': recordRoute } : {}) },
  });
  const dialog = Dialog.fromUac(invite, res, new MemoryConnection());
  return { invite, res, dialog };
}

describe('Dialog transition table', () => {
  it('allows early → confirmed → terminated and early → terminated only', () => {
    const legal: Record<DialogState, DialogState[]> = { early: ['confirmed', 'terminated'], confirmed: ['terminated'], terminated: [] };
    const all = Object.keys(legal) as DialogState[];
    for (const from of all) for (const to of all) expect(dialogTransitions[from].includes(to), `${from}->${to}`).toBe(legal[from].includes(to));
  });
});

describe('Dialog as UAS', () => {
  it('takes its identity from the request and our To tag (RFC 3261 §12.1.1)', () => {
    const { dialog, invite } = uasDialog();
    expect(dialog.role).toBe('uas');
    expect(dialog.state).toBe('confirmed');
    expect(dialog.callId).toBe(invite.callId);
    expect(dialog.localTag).toBe('ours');
    expect(dialog.remoteTag).toBe(invite.from.params.tag);
    expect(dialog.remoteTarget.user).toBe('v1');
    expect(dialog.remoteSeq).toBe(7);
    expect(dialog.localSeq).toBeNull();
    expect(Dialog.idForRequest({ ...invite, to: { ...invite.to, params: { tag: 'ours' } } })).toBe(dialog.id);
  });

  it('builds a BYE with swapped From/To, the next CSeq, a new branch and the remote target as Request-URI', () => {
    const { dialog, invite } = uasDialog();
    const bye = dialog.createRequest('BYE');
    const bye2 = dialog.createRequest('BYE');
    expect(bye.method).toBe('BYE');
    expect(bye.uri.user).toBe('v1');
    expect(bye.from.uri.user).toBe('agent');
    expect(bye.from.params.tag).toBe('ours');
    expect(bye.to.uri.user).toBe('visitor');
    expect(bye.to.params.tag).toBe(invite.from.params.tag);
    expect(bye.cseq).toEqual({ seq: 1, method: 'BYE' });
    expect(bye2.cseq.seq).toBe(2);
    expect(bye.via[0]!.params.branch).not.toBe(bye2.via[0]!.params.branch);
    expect(bye.via[0]!.transport).toBe('WSS');
    expect(getHeader(bye, 'route')).toBeUndefined();
    expect(getHeader(bye, 'contact')).toBeUndefined();
  });

  it('puts our Contact into target-refresh requests such as re-INVITE', () => {
    const { dialog } = uasDialog();
    const reinvite = dialog.createRequest('INVITE', { body: 'v=0\r\n', contentType: 'application/sdp' });
    expect(getHeader(reinvite, 'contact')).toBe('<sip:b2bua@sambung.invalid;transport=ws>');
    expect(getHeader(reinvite, 'content-type')).toBe('application/sdp');
  });

  it('rejects an in-dialog request whose CSeq is not above the last one with 500 (RFC 3261 §12.2.2)', () => {
    const { dialog, invite } = uasDialog();
    const inDialog = (method: string, seq: number): SipRequest => ({ ...request(method), callId: invite.callId, cseq: { seq, method } });
    expect(dialog.receiveRequest(inDialog('INFO', 7))).toMatchObject({ ok: false, status: 500 });
    expect(dialog.receiveRequest(inDialog('INFO', 3))).toMatchObject({ ok: false, status: 500 });
    expect(dialog.receiveRequest(inDialog('ACK', 7))).toEqual({ ok: true });
    expect(dialog.receiveRequest(inDialog('BYE', 8))).toEqual({ ok: true });
    expect(dialog.remoteSeq).toBe(8);
  });

  it('takes the new remote target from a re-INVITE Contact', () => {
    const { dialog, invite } = uasDialog();
    const reinvite: SipRequest = { ...request('INVITE'), callId: invite.callId, cseq: { seq: 9, method: 'INVITE' } };
    reinvite.headers.set('contact', ['<sip:moved@client2.invalid;transport=ws>']);
    dialog.receiveRequest(reinvite);
    expect(dialog.remoteTarget.user).toBe('moved');
  });

  it('uses the request Record-Route in order as its route set', () => {
    const { dialog } = uasDialog(['<sip:p1.example;lr>, <sip:p2.example;lr>']);
    const bye = dialog.createRequest('BYE');
    expect(getHeaders(bye, 'route')).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    expect(bye.uri.user).toBe('v1');
  });
});

describe('Dialog as UAC', () => {
  it('takes remote target from the 2xx Contact and route set from its Record-Route reversed (RFC 3261 §12.1.2)', () => {
    const { dialog, invite } = uacDialog(200, ['<sip:p2.example;lr>', '<sip:p1.example;lr>']);
    expect(dialog.role).toBe('uac');
    expect(dialog.localTag).toBe(invite.from.params.tag);
    expect(dialog.remoteTag).toBe('theirs');
    expect(dialog.remoteSeq).toBeNull();
    const bye = dialog.createRequest('BYE');
    expect(bye.uri.host).toBe('10.0.0.9');
    expect(getHeaders(bye, 'route')).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    expect(bye.cseq.seq).toBe(invite.cseq.seq + 1);
  });

  it('builds the ACK for a 2xx with the INVITE CSeq number and a new branch (RFC 3261 §13.2.2.4)', () => {
    const { dialog, invite } = uacDialog();
    const ack = dialog.createAck(invite.cseq.seq);
    expect(ack.method).toBe('ACK');
    expect(ack.cseq).toEqual({ seq: invite.cseq.seq, method: 'ACK' });
    expect(ack.via[0]!.params.branch).not.toBe(invite.via[0]!.params.branch);
    expect(ack.uri.host).toBe('10.0.0.9');
    expect(dialog.localSeq).toBe(invite.cseq.seq);
  });

  it('uses strict routing when the first route lacks lr', () => {
    const { dialog } = uacDialog(200, ['<sip:strict.example;method=INVITE>']);
    const bye = dialog.createRequest('BYE');
    expect(bye.uri.host).toBe('strict.example');
    expect(bye.uri.params.method).toBeUndefined();
    expect(getHeaders(bye, 'route')).toEqual(['<sip:agent@10.0.0.9;transport=ws>']);
  });

  it('starts early on a 1xx with a tag and is confirmed by the 2xx, which refreshes the target', () => {
    const { dialog, invite } = uacDialog(180);
    const states: DialogState[] = [];
    dialog.on('state', (to) => states.push(to));
    expect(dialog.state).toBe('early');
    const ok = createResponse(invite, 200, undefined, { toTag: 'theirs', headers: { Contact: '<sip:final@10.0.0.10>' } });
    dialog.confirm(ok);
    dialog.confirm(ok);
    expect(dialog.remoteTarget.user).toBe('final');
    dialog.terminate();
    dialog.terminate();
    expect(states).toEqual(['confirmed', 'terminated']);
  });

  it('refuses to build requests once terminated', () => {
    const { dialog } = uacDialog();
    dialog.terminate();
    expect(() => dialog.createRequest('BYE')).toThrow(TransitionError);
    expect(() => dialog.createRequest('ACK')).toThrow(TypeError);
  });
});
