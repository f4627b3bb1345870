/**
 * The mail transport port: one way out for every mail Charla sends — the email channel's replies
 * and system mail (password resets, invitations, case updates). The composition root builds it
 * from SMTP_URL (channels/email/transport.ts, nodemailer, DKIM when configured) and hands it to
 * adapters and features; undefined when SMTP_URL is unset (no mail can be sent).
 */

export interface MailAttachment {
  filename: string;
  contentType?: string;
  content: Buffer | string;
  /** Content-ID for an inline image referenced from the HTML as `cid:<cid>`. */
  cid?: string;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Our own Message-ID (`<id@domain>`); the transport makes one when absent. */
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  /** Where replies should go, when not the From address (e.g. support+token@…). */
  replyTo?: string;
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

export interface MailTransport {
  /** The From address (EMAIL_ADDRESS) and its display name. */
  readonly from: { address: string; name: string };
  /** Sends one mail; rejects with MailSendError (the SMTP reply code when there was one). */
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** Makes a Message-ID on our domain from a stable local part (e.g. a message document id). */
  messageIdFor(localPart: string): string;
  /** True when a Message-ID is one this transport made (loop detection). */
  isOwnMessageId(messageId: string): boolean;
  close(): Promise<void>;
}

export class MailSendError extends Error {
  constructor(
    message: string,
    /** The SMTP reply code (4xx temporary, 5xx permanent) or undefined (network, timeout). */
    readonly responseCode: number | undefined,
  ) {
    super(message);
    this.name = 'MailSendError';
  }
  /** 5xx: the server refused for good; anything else may work later. */
  get permanent(): boolean {
    return this.responseCode !== undefined && this.responseCode >= 500;
  }
}
