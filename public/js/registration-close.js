// Tells Moodle's registration dialog that the tool side is done (LTI Dynamic Registration, section 3.6).
(function () {
  var target = window.opener || window.parent;
  if (target && target !== window) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*');
})();
