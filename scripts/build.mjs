// Compiles TypeScript to dist/ and copies what tsc does not: SQL migrations, the fonts embedded in PDFs, and static
// assets.
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const require = createRequire(import.meta.url);
rmSync(join(root, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")], {
  stdio: "inherit",
});

function copyMatching(dir, test) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyMatching(path, test);
    else if (test(path)) {
      const target = join(root, "dist", relative(root, path));
      mkdirSync(dirname(target), { recursive: true });
      cpSync(path, target);
    }
  }
}
copyMatching(join(root, "src"), (path) => path.endsWith(".sql") || path.endsWith(".ttf"));
cpSync(join(root, "public"), join(root, "dist", "public"), { recursive: true });
