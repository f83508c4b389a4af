/*
 * Gallery lightbox without a framework. Each thumbnail in [data-lightbox] is a link to its
 * large picture; without this script the link simply opens it. With it, a click opens the
 * album's <dialog> instead: Esc closes it (the browser's own behaviour of a modal dialog),
 * the arrow keys and the two buttons move through the album, and closing returns focus to
 * the thumbnail that opened it. Loaded from our own origin: the CSP forbids inline scripts.
 */
(function () {
  "use strict";

  function setUp(list) {
    var dialog = list.parentNode.querySelector("dialog.lightbox");
    if (!dialog || typeof dialog.showModal !== "function") {
      return; // An old browser: the links keep opening the pictures.
    }
    var links = Array.prototype.slice.call(list.querySelectorAll("a[href]"));
    var img = dialog.querySelector(".lightbox-img");
    var caption = dialog.querySelector(".lightbox-caption");
    var count = dialog.querySelector(".lightbox-count");
    var current = 0;
    var opener = null;

    function show(index) {
      current = (index + links.length) % links.length;
      var link = links[current];
      var thumb = link.querySelector("img");
      img.src = link.getAttribute("href");
      img.alt = thumb ? thumb.alt : "";
      caption.textContent = link.getAttribute("data-caption") || "";
      count.textContent = "Ảnh " + (current + 1) + " / " + links.length;
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
          return; // Opening in a new tab stays the browser's business.
        }
        event.preventDefault();
        opener = link;
        show(index);
        dialog.showModal();
      });
    });

    dialog.querySelector(".lightbox-prev").addEventListener("click", function () {
      show(current - 1);
    });
    dialog.querySelector(".lightbox-next").addEventListener("click", function () {
      show(current + 1);
    });
    dialog.querySelector(".lightbox-close").addEventListener("click", function () {
      dialog.close();
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "ArrowLeft") {
        event.preventDefault();
        show(current - 1);
      } else if (event.key === "ArrowRight") {
        event.preventDefault();
        show(current + 1);
      }
    });
    // A click on the backdrop (the dialog element itself, outside its content) closes it.
    dialog.addEventListener("click", function (event) {
      if (event.target === dialog) {
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () {
      img.removeAttribute("src");
      if (opener) {
        opener.focus();
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-lightbox]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
