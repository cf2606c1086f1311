/* An Arabic or Kurdish article is written right to left: the rich-text editor,
 * the headline, standfirst and the other text fields of the article take the
 * direction of its language, and follow the language field when an editor
 * changes it. The editor builds its element after the page loads, so it is
 * given its direction when it says it is ready. */
;(() => {
  "use strict"
  const RIGHT_TO_LEFT = new Set(["ar", "ckb", "fa", "he", "ur"])
  const TEXT_FIELDS = [
    "id_headline",
    "id_standfirst",
    "id_content_warning",
    "id_dateline_city",
    "id_dateline_region",
    "id_dateline_country",
    "id_body",
  ]

  const direction = () => {
    const language = document.getElementById("id_language")
    return language && RIGHT_TO_LEFT.has(language.value) ? "rtl" : "ltr"
  }

  const apply = () => {
    const dir = direction()
    for (const id of TEXT_FIELDS) {
      const field = document.getElementById(id)
      if (field) field.dir = dir
    }
    for (const editor of document.querySelectorAll(".field-body .prose-editor")) {
      editor.dir = dir
    }
  }

  document.addEventListener("prose-editor:ready", apply)
  document.addEventListener("DOMContentLoaded", () => {
    if (!document.getElementById("id_language")) return
    apply()
    document.getElementById("id_language").addEventListener("change", apply)
  })
})()
