// Left/right trunk judgement task. Served as a static file (the CSP forbids inline script).
// Each picture's onset is taken at the frame it is painted (requestAnimationFrame), and the answer
// time with performance.now(), so response times are in milliseconds with sub-ms resolution.
(function () {
  "use strict";
  var task = document.getElementById("task");
  if (!task) { return; }
  var order = JSON.parse(task.getAttribute("data-order"));
  var stage = document.getElementById("stage");
  var startButton = document.getElementById("task-start");
  var answerButtons = [document.getElementById("answer-left"), document.getElementById("answer-right")];
  var count = document.getElementById("task-count");
  var trials = [];
  var current = -1;
  var shownAt = null;
  var FIXATION_MS = 400;

  function picture(index) {
    var source = document.querySelector('#stimuli [data-stimulus="' + index + '"] svg');
    return source.cloneNode(true);
  }

  function enable(on) {
    answerButtons.forEach(function (b) { b.disabled = !on; });
  }

  function next() {
    current += 1;
    shownAt = null;
    enable(false);
    if (current >= order.length) { finish(); return; }
    count.textContent = (current + 1) + " / " + order.length;
    stage.replaceChildren(Object.assign(document.createElement("p"), { className: "fixation", textContent: "+" }));
    window.setTimeout(function () {
      stage.replaceChildren(picture(order[current]));
      window.requestAnimationFrame(function () {
        shownAt = performance.now();
        enable(true);
      });
    }, FIXATION_MS);
  }

  function answer(side) {
    if (shownAt === null) { return; }
    var rt = performance.now() - shownAt;
    shownAt = null;
    trials.push({ s: order[current], r: side, rt: Math.round(rt * 1000) / 1000 });
    next();
  }

  function finish() {
    stage.replaceChildren();
    document.getElementById("task-trials").value = JSON.stringify(trials);
    document.getElementById("task-saving").hidden = false;
    document.getElementById("task-result").submit();
  }

  startButton.addEventListener("click", function () {
    startButton.hidden = true;
    next();
  });
  answerButtons.forEach(function (b) {
    b.addEventListener("click", function () { answer(b.getAttribute("data-side")); });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "ArrowLeft") { event.preventDefault(); answer("left"); }
    if (event.key === "ArrowRight") { event.preventDefault(); answer("right"); }
  });
})();
