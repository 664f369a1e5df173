// Drag to reorder a draft's module list with SortableJS. Without JavaScript, and from the
// keyboard, the Up/Down buttons of each row do the same one place at a time.
// Dropping a row posts the whole new order to the form named by the list's data-order-form;
// the server checks prerequisites and answers with the editor again (or the reason it refused).
(function () {
  "use strict";
  if (typeof Sortable === "undefined") return;
  document.querySelectorAll("tbody[data-order-form]").forEach(function (list) {
    var form = document.getElementById(list.dataset.orderForm);
    if (!form) return;
    (list.closest("section") || list).classList.add("reorderable");
    Sortable.create(list, {
      handle: ".drag-handle",
      draggable: "tr[data-module]",
      animation: 150,
      onEnd: function (event) {
        if (event.oldIndex === event.newIndex) return;
        list.querySelectorAll("tr[data-module]").forEach(function (row) {
          var input = document.createElement("input");
          input.type = "hidden";
          input.name = "module";
          input.value = row.dataset.module;
          form.appendChild(input);
        });
        form.submit();
      },
    });
  });
})();
