// Summarizes `go test -json` from stdin: prints the output of what failed, then one line
// "N passed, N failed, N skipped" counting every test and subtest that ran.
import { createInterface } from "node:readline";

const output = new Map(); // "pkg test" -> lines
const counts = { pass: 0, fail: 0, skip: 0 };
const failed = [];

for await (const line of createInterface({ input: process.stdin })) {
  let ev;
  try {
    ev = JSON.parse(line);
  } catch {
    console.log(line); // build errors arrive as plain text
    continue;
  }
  const key = `${ev.Package} ${ev.Test ?? ""}`;
  if (ev.Action === "output") {
    if (!output.has(key)) output.set(key, []);
    output.get(key).push(ev.Output);
  } else if (ev.Action in counts) {
    if (ev.Test) counts[ev.Action]++;
    if (ev.Action === "fail") failed.push(key);
  }
}
for (const key of failed) {
  console.log(`--- FAIL ${key}`);
  process.stdout.write((output.get(key) ?? []).join(""));
}
console.log(`${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
