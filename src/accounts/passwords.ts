import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "../platform/auth/password.js";

export const newPasswordFields = {
  password: z
    .string({ error: "Ange ett lösenord." })
    .min(PASSWORD_MIN_LENGTH, `Lösenordet måste ha minst ${PASSWORD_MIN_LENGTH} tecken.`)
    .max(256, "Lösenordet får ha högst 256 tecken."),
  passwordConfirmation: z.string({ error: "Upprepa lösenordet." }),
};

type Passwords = { password: string; passwordConfirmation: string };

/** A new password typed twice; the mismatch is reported on the second field. */
export function withConfirmedPassword<T extends z.ZodRawShape>(shape: T) {
  return z
    .object({ ...shape, ...newPasswordFields })
    .refine((value) => (value as Passwords).password === (value as Passwords).passwordConfirmation, {
      message: "Lösenorden är inte lika.",
      path: ["passwordConfirmation"],
    });
}
