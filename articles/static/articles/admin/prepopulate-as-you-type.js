/* Django's admin fills a slug from its source field on keyup and change. Text
 * typed through an input method (Arabic, Kurdish and most non-Latin keyboards),
 * dictated or pasted may fire neither, so the slug stayed empty or stopped after
 * the first word: fill it on every input as well. */
;(() => {
  "use strict"
  document.addEventListener("DOMContentLoaded", () => {
    const constants = document.getElementById("django-admin-prepopulated-fields-constants")
    const $ = window.django?.jQuery
    if (!constants || !$) return
    const fields = JSON.parse(constants.dataset.prepopulatedFields || "[]")
    for (const field of fields) {
      for (const source of field.dependency_ids) {
        document.querySelector(source)?.addEventListener("input", (event) => {
          $(event.target).trigger("keyup")
        })
      }
    }
  })
})()
