// Pain drawing: tapping a region of the outline toggles its checkbox in the list (the list works
// without this script). No inline script or style, so the page keeps its strict CSP.
document.querySelectorAll("[data-pain-drawing]").forEach((drawing) => {
  const form = drawing.closest("form");
  if (!form) return;
  const boxFor = (id) => form.querySelector(`input[type=checkbox][value="${CSS.escape(id)}"]`);
  drawing.querySelectorAll("[data-region]").forEach((region) => {
    const box = boxFor(region.dataset.region);
    if (!box) return;
    region.setAttribute("tabindex", "0");
    region.setAttribute("role", "checkbox");
    const show = () => {
      region.classList.toggle("marked", box.checked);
      region.setAttribute("aria-checked", String(box.checked));
    };
    const toggle = () => { box.checked = !box.checked; show(); };
    region.addEventListener("click", toggle);
    region.addEventListener("keydown", (e) => { if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(); } });
    box.addEventListener("change", show);
    show();
  });
});
