// Drag to reorder the lists an author orders, with SortableJS: a draft's modules, a derived
// program's modules, facilitator notes, segment rules. Without JavaScript, and from the
// keyboard, the Up/Down (Earlier/Later) buttons of each row do the same one place at a time.
// A list names its form (data-order-form) and the field its rows' keys are sent as
// (data-order-name); dropping a row posts every row's data-key in the new order to that form,
// which carries the CSRF token and the revision. The server checks the order as it checks a
// button's move and answers with the editor again, saying why if it refused (nothing saved).
(function () {
  "use strict";
  if (typeof Sortable === "undefined") return;
  document.querySelectorAll("[data-order-form]").forEach(function (list) {
    var form = document.getElementById(list.dataset.orderForm);
    if (!form) return;
    list.classList.add("reorderable");
    (list.closest("section") || list).classList.add("reorderable");
    Sortable.create(list, {
      handle: ".drag-handle",
      draggable: "[data-key]",
      animation: 150,
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        list.querySelectorAll(":scope > [data-key]").forEach(function (row) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = list.dataset.orderName || "module";
          input.value = row.dataset.key;
          form.appendChild(input);
        });
        form.submit();
      },
    });
  });
})();
