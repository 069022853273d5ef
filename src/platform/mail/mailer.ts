import nodemailer from "nodemailer";
import type { Logger } from "pino";

export type Mail = { to: string; subject: string; text: string };
export type SentMail = Mail & { sentAt: Date };

export type Mailer = {
  send(mail: Mail): Promise<void>;
  /** Without SMTP_URL mail goes to this in-memory outbox (shown at /dev/outbox) instead of being sent. */
  outbox: SentMail[] | undefined;
};

const OUTBOX_LIMIT = 100;

export function createMailer(options: { smtpUrl: string | undefined; from: string; logger: Logger }): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      outbox: undefined,
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail });
      },
    };
  }
  const outbox: SentMail[] = [];
  return {
    outbox,
    async send(mail) {
      outbox.unshift({ ...mail, sentAt: new Date() });
      outbox.length = Math.min(outbox.length, OUTBOX_LIMIT);
      // The body holds one-time links, so only the subject is logged.
      options.logger.info({ subject: mail.subject }, "mail placed in the development outbox at /dev/outbox");
    },
  };
}
