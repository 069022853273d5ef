import pino from "pino";

/** JSON logs. Secrets and personal data are redacted wherever a careless log call might carry them. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "samordna" },
    redact: {
      paths: [
        "req.headers.cookie",
        "req.headers.authorization",
        "headers.cookie",
        "headers.authorization",
        "*.password",
        "*.passwordConfirmation",
        "*.currentPassword",
        "*.personalIdentityNumber",
        "*.token",
        "*.secret",
      ],
      censor: "[redacted]",
    },
  });
}
