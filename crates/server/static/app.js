// Interspace: click a proposed CPT line to see the words of the note behind it.
document.addEventListener("click", (event) => {
  const row = event.target.closest("tr.line[data-line]");
  if (!row) return;
  const line = row.dataset.line;
  document.querySelectorAll("tr.line.on").forEach((r) => r.classList.remove("on"));
  document.querySelectorAll("mark.ev.on").forEach((m) => m.classList.remove("on"));
  row.classList.add("on");
  const marks = [...document.querySelectorAll("mark.ev")].filter((m) => m.dataset.lines.split(" ").includes(line));
  marks.forEach((m) => m.classList.add("on"));
  if (marks.length > 0) marks[0].scrollIntoView({ block: "center", behavior: "instant" });
});
