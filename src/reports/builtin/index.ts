import type { TemplateVersion } from "../template-model.js";
import { gavleborg } from "./gavleborg.js";
import { harnosandTimra } from "./harnosand-timra.js";
import { uppsalaLan2017 } from "./uppsala-lan-2017.js";

/** The templates of the three förbund whose reports seeded the model; an association starts from one of them. */
export const builtinTemplates: readonly TemplateVersion[] = [harnosandTimra, uppsalaLan2017, gavleborg];

export function findBuiltinTemplate(key: string): TemplateVersion | undefined {
  return builtinTemplates.find((template) => template.key === key);
}
