/* The article form's safety nets: autosave to the server while typing, a warning
 * before leaving with unsaved changes, the edit lock's sign of life, restoring
 * autosaved changes, and the live word count. Served from this site; no inline
 * script or handler is needed. */
;(() => {
  "use strict"

  const AUTOSAVE_AFTER_MS = 1500 // quiet time after the last keystroke
  const LOCK_EVERY_MS = 30000 // see articles.models.LOCK_TIMEOUT_SECONDS
  const editors = new Map() // textarea -> prose editor

  document.addEventListener("prose-editor:ready", (event) => {
    editors.set(event.detail.textarea, event.detail.editor)
  })

  const csrf = (form) => form.querySelector("input[name=csrfmiddlewaretoken]").value

  const formData = (form) => {
    const data = new FormData(form)
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name)
    }
    return data
  }

  const words = (html) => {
    const text = new DOMParser().parseFromString(html, "text/html").body.textContent
    return text.split(/\s+/).filter(Boolean).length
  }

  function wordCount(body) {
    const out = document.getElementById("desk-length")
    if (!body || !out) return
    const perMinute = Number(out.dataset.wordsPerMinute) || 200
    const update = () => {
      const count = words(body.value)
      const minutes = count ? Math.ceil(count / perMinute) : 0
      out.textContent = `${count} words, about ${minutes} min to read`
    }
    body.addEventListener("input", update)
  }

  function restore(form, data) {
    for (const [name, values] of Object.entries(data)) {
      const fields = form.querySelectorAll(`[name="${CSS.escape(name)}"]`)
      fields.forEach((field, index) => {
        if (field.type === "checkbox" || field.type === "radio") {
          field.checked = values.includes(field.value)
        } else if (field.tagName === "SELECT" && field.multiple) {
          for (const option of field.options) option.selected = values.includes(option.value)
        } else if (field.type !== "file" && values[index] !== undefined) {
          field.value = values[index]
        }
        const editor = editors.get(field)
        if (editor) editor.commands.setContent(field.value, { emitUpdate: true })
        field.dispatchEvent(new Event("change", { bubbles: true }))
      })
    }
  }

  function start() {
    const desk = document.getElementById("desk")
    const form = desk?.closest("form")
    if (!form) return
    let dirty = false
    let submitting = false
    let timer = null

    const saved = document.getElementById("desk-saved")
    const autosave = async () => {
      timer = null
      const response = await fetch(desk.dataset.autosaveUrl, {
        method: "POST",
        body: formData(form),
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(form) },
      })
      if (response.ok) {
        const answer = await response.json()
        saved.textContent = `Autosaved at ${answer.saved_at}; not saved to the article yet.`
      }
    }
    const changed = () => {
      dirty = true
      clearTimeout(timer)
      timer = setTimeout(autosave, AUTOSAVE_AFTER_MS)
    }
    form.addEventListener("input", changed)
    form.addEventListener("change", (event) => {
      if (event.isTrusted) changed()
    })
    form.addEventListener("submit", () => {
      submitting = true
      clearTimeout(timer) // what is being saved needs no autosave
      timer = null
    })
    window.addEventListener("beforeunload", (event) => {
      if (dirty && !submitting) {
        event.preventDefault()
        event.returnValue = ""
      }
    })
    // Leaving before the quiet time is over: send what was typed anyway.
    window.addEventListener("pagehide", () => {
      if (timer && !submitting) navigator.sendBeacon(desk.dataset.autosaveUrl, formData(form))
    })

    const restoreButton = document.getElementById("desk-restore")
    const kept = document.getElementById("desk-autosave-data")
    if (restoreButton && kept) {
      restoreButton.addEventListener("click", () => {
        restore(form, JSON.parse(kept.textContent))
        document.getElementById("desk-autosave").hidden = true
        changed()
      })
    }

    if (desk.dataset.lockUrl && desk.dataset.holding === "yes") {
      const lost = document.getElementById("desk-lost-lock")
      const beat = async () => {
        const data = new FormData()
        data.append("csrfmiddlewaretoken", csrf(form))
        const response = await fetch(desk.dataset.lockUrl, {
          method: "POST",
          body: data,
          credentials: "same-origin",
        })
        if (!response.ok) return
        const lock = await response.json()
        lost.hidden = lock.held
        if (!lock.held) {
          document.getElementById("desk-lost-lock-text").textContent =
            `${lock.holder} took over editing at ${lock.since}. Your changes are ` +
            "autosaved; take over again to save them."
        }
      }
      setInterval(beat, LOCK_EVERY_MS)
    }

    wordCount(form.querySelector("textarea[name=body]"))
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start)
  } else {
    start()
  }
})()
