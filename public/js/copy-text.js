/* "Copy" buttons: <button data-copy="ELEMENT-ID" hidden> copies that field's text and says so in the
 * nearest [data-copy-status] live region. The buttons stay hidden without script; the text can still be
 * selected by hand. */
(function () {
  'use strict';

  function announce(button, message) {
    var scope = button.closest('section') || document;
    var status = scope.querySelector('[data-copy-status]');
    if (status) status.textContent = message;
  }

  function copy(button) {
    var field = document.getElementById(button.getAttribute('data-copy'));
    if (!field) return;
    var text = field.value !== undefined ? field.value : field.textContent;
    var done = function () { announce(button, 'Copied. Paste it into your email and change it as you see fit.'); };
    var fallback = function () {
      field.focus();
      if (field.select) field.select();
      announce(button, 'Selected: press Ctrl+C (or Cmd+C) to copy.');
    };
    if (window.navigator.clipboard && window.navigator.clipboard.writeText) window.navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  }

  var buttons = document.querySelectorAll('button[data-copy]');
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].hidden = false;
    buttons[i].addEventListener('click', function (event) {
      copy(event.currentTarget);
    });
  }
})();
