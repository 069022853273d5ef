import { readFileSync } from "node:fs";
import { sql } from "kysely";
import ts from "typescript";
import { expect, it } from "vitest";
import { describeEachDatabase } from "../support/database.js";

/** Table → column names as src/platform/db/schema.ts declares them for Kysely, read with the TypeScript compiler. */
function declaredTables(): Record<string, string[]> {
  const path = new URL("../../src/platform/db/schema.ts", import.meta.url);
  const source = ts.createSourceFile("schema.ts", readFileSync(path, "utf8"), ts.ScriptTarget.Latest);
  const interfaces = new Map<string, ts.InterfaceDeclaration>();
  source.forEachChild((node) => {
    if (ts.isInterfaceDeclaration(node)) interfaces.set(node.name.text, node);
  });
  const members = (declaration: ts.InterfaceDeclaration) =>
    declaration.members
      .filter(ts.isPropertySignature)
      .map((member) => member as ts.PropertySignature & { name: ts.Identifier });
  const tables: Record<string, string[]> = {};
  for (const table of members(interfaces.get("DB") as ts.InterfaceDeclaration)) {
    const typeName = (table.type as ts.TypeReferenceNode).typeName.getText(source);
    tables[table.name.text] = members(interfaces.get(typeName) as ts.InterfaceDeclaration)
      .map((column) => column.name.text)
      .sort();
  }
  return tables;
}

describeEachDatabase("the table types", (database) => {
  it("match the tables and columns the migrations create", async () => {
    const result = await sql<{ table_name: string; column_name: string }>`
      select c.table_name, c.column_name from information_schema.columns c
      join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = 'public' and t.table_type = 'BASE TABLE'`.execute(database().db);
    const actual: Record<string, string[]> = {};
    for (const row of result.rows) actual[row.table_name] = [...(actual[row.table_name] ?? []), row.column_name];
    for (const columns of Object.values(actual)) columns.sort();
    expect(declaredTables()).toEqual(actual);
  });
});
