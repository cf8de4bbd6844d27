/**
 * Uploads and attachments in the fake Zendesk (Ticket Attachments reference, "Upload Files"):
 *
 * ```
 * POST /api/v2/uploads?filename=…[&token=…]   raw bytes, Content-Type = the file's type
 *                                  201 {upload: {token, expires_at, attachment, attachments}}   413 above the limit
 * GET  /api/v2/attachments/{id}    200 {attachment}
 * GET  /attachments/token/{token}/?name=…    the bytes (served by the server, like Zendesk's content_url)
 * ```
 * A token attaches its files to one comment (`comment.uploads`); unclaimed uploads expire after 60 minutes.
 */
import { idParam, type FakeZendeskContext, type Route } from './fake-zendesk-context.js';
import { ZendeskRefusal, type Reply } from './fake-zendesk-http.js';
import { FakeZendeskStore, type FakeZendeskAttachment, type FakeZendeskUpload } from './fake-zendesk-store.js';

export const UPLOAD_TTL_MS = 60 * 60 * 1000;

export const uploadRoutes: readonly Route[] = [
  {
    method: 'POST',
    pattern: /^\/uploads$/,
    handle: (ctx, r) => {
      const filename = r.url.searchParams.get('filename')?.trim() ?? '';
      if (filename === '' || filename.length > 255) throw ZendeskRefusal.badRequest('ParameterMissing', 'Parameter filename is required');
      if (r.body === 'too-large') throw ZendeskRefusal.tooLarge(ctx.maxAttachmentBytes);
      const contentType = (r.req.headers['content-type'] ?? 'application/binary').split(';')[0]!.trim().toLowerCase();
      return upload(ctx, filename, contentType, r.body, r.url.searchParams.get('token'));
    },
  },
  {
    method: 'GET',
    pattern: /^\/attachments\/([^/]+)$/,
    handle: (ctx, _r, [id]) => {
      const attachmentId = idParam(id);
      const attachment = attachmentId === null ? undefined : ctx.store.attachment(attachmentId);
      if (!attachment) throw ZendeskRefusal.notFound();
      return { status: 200, body: { attachment: ctx.json.attachment(attachment) } };
    },
  },
];

function upload(ctx: FakeZendeskContext, filename: string, contentType: string, bytes: Buffer, token: string | null): Reply {
  let target: FakeZendeskUpload | undefined;
  if (token !== null) {
    target = ctx.store.uploads.get(token);
    if (!target || target.claimed || target.expires_at <= ctx.nowMs()) throw ZendeskRefusal.invalid({ token: [`Token: ${token} is not a valid upload token`] });
  }
  const attachment: FakeZendeskAttachment = {
    id: ctx.store.attachmentId(),
    file_name: filename,
    content_type: contentType,
    size: bytes.byteLength,
    bytes,
    content_token: FakeZendeskStore.token(),
    upload_token: target?.token ?? FakeZendeskStore.token(),
    comment_id: null,
  };
  ctx.store.attachments.push(attachment);
  if (!target) {
    target = { token: attachment.upload_token, attachment_ids: [], expires_at: ctx.nowMs() + UPLOAD_TTL_MS, claimed: false };
    ctx.store.uploads.set(target.token, target);
  }
  target.attachment_ids.push(attachment.id);
  const attachments = target.attachment_ids.map((id) => ctx.json.attachment(ctx.store.attachment(id)!));
  return {
    status: 201,
    body: {
      upload: {
        token: target.token,
        expires_at: new Date(target.expires_at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
        attachment: ctx.json.attachment(attachment),
        attachments,
      },
    },
  };
}
