// Click-to-load video: no request reaches the provider until the reader presses play.
(function () {
  document.querySelectorAll('[data-video] .video-play').forEach(function (button) {
    var facade = button.parentElement;
    var fallback = facade.querySelector('.video-fallback');
    button.hidden = false;
    if (fallback) { fallback.hidden = true; }
    button.addEventListener('click', function () {
      var frame = document.createElement('iframe');
      frame.src = button.getAttribute('data-embed');
      frame.title = button.getAttribute('data-title');
      frame.allow = 'autoplay; fullscreen; picture-in-picture';
      frame.setAttribute('allowfullscreen', '');
      facade.replaceChildren(frame);
      frame.focus();
    });
  });
})();
