/* Pictures from the image library, placed at the cursor in the body editor.
 *
 * The body stores a reference, <figure data-image="12"><figcaption>…</figcaption>
 * </figure>, never an <img src>: the public page renders the library picture
 * with its responsive markup, and the sanitiser and the CSP stay strict. New
 * pictures are uploaded through the library's own scrubbing pipeline.
 * Loaded by django-prose-editor as an extension module (see richtext.py).
 */
import { crel, gettext, Node } from "django-prose-editor/editor"

const csrfToken = () =>
  document.querySelector("input[name=csrfmiddlewaretoken]")?.value || ""

const thumbnailUrl = (options, id) => `${options.pickerUrl}${id}/`

async function libraryCaption(options, id) {
  const url = `${options.pickerUrl}?${new URLSearchParams({ id })}`
  const response = await fetch(url, { credentials: "same-origin" })
  const found = response.ok ? (await response.json()).results : []
  return found.length ? found[0].caption : ""
}

function figureView(options, node) {
  const img = crel("img", {
    src: thumbnailUrl(options, node.attrs.image),
    alt: "",
    className: "desk-figure__img",
  })
  const caption = crel("figcaption", {
    className: "desk-figure__caption",
    textContent: node.attrs.caption,
  })
  if (!node.attrs.caption) {
    // No caption of its own here: the library's is shown to readers.
    libraryCaption(options, node.attrs.image).then((text) => {
      caption.textContent = `${text} ${gettext("(the library caption)")}`
    })
  }
  return crel("figure", { className: "desk-figure", "data-image": node.attrs.image }, [
    img,
    caption,
  ])
}

function pictureDialog(options, { caption = "", editing = false } = {}) {
  return new Promise((resolve) => {
    let chosen = null
    const title = crel("h2", {
      id: "desk-picker-title",
      textContent: editing ? gettext("Picture caption") : gettext("Insert a picture"),
    })
    const search = crel("input", {
      type: "search",
      name: "q",
      placeholder: gettext("Search captions, credits and alt text"),
      className: "desk-picker__search",
      "aria-label": gettext("Search the image library"),
    })
    const grid = crel("ul", { className: "desk-picker__grid" })
    const library = crel("section", { className: "desk-picker__library" }, [
      search,
      grid,
    ])

    const field = (label, input) =>
      crel("p", { className: "desk-picker__field" }, [
        crel("label", { textContent: label, htmlFor: input.id }),
        input,
      ])
    const uploadFields = {
      file: crel("input", {
        type: "file",
        id: "desk-upload-file",
        name: "file",
        accept: "image/jpeg,image/png,image/webp,image/gif",
      }),
      alt_text: crel("input", { type: "text", id: "desk-upload-alt", name: "alt_text" }),
      caption: crel("input", { type: "text", id: "desk-upload-caption", name: "caption" }),
      credit: crel("input", { type: "text", id: "desk-upload-credit", name: "credit" }),
      content_warning: crel("input", {
        type: "text",
        id: "desk-upload-warning",
        name: "content_warning",
      }),
    }
    const uploadErrors = crel("ul", { className: "errorlist", role: "alert" })
    const uploadButton = crel("button", {
      type: "button",
      className: "button",
      textContent: gettext("Upload to the library"),
    })
    const upload = crel("section", { className: "desk-picker__upload" }, [
      crel("h3", { textContent: gettext("Or upload a new picture") }),
      uploadErrors,
      field(gettext("Picture"), uploadFields.file),
      field(gettext("Alt text (what it shows)"), uploadFields.alt_text),
      field(gettext("Caption"), uploadFields.caption),
      field(gettext("Credit"), uploadFields.credit),
      field(gettext("Content warning"), uploadFields.content_warning),
      crel("p", {}, [uploadButton]),
    ])

    const captionInput = crel("input", {
      type: "text",
      id: "desk-picker-caption",
      name: "caption",
      value: caption,
    })
    const chosenPreview = crel("p", { className: "desk-picker__chosen" })
    const captionStep = crel(
      "section",
      { className: "desk-picker__caption", hidden: !editing },
      [
        chosenPreview,
        field(gettext("Caption here (empty: the library caption)"), captionInput),
      ],
    )
    const insert = crel("button", {
      type: "button",
      className: "button default",
      textContent: editing ? gettext("Update") : gettext("Insert"),
      disabled: !editing,
    })
    const cancel = crel("button", {
      type: "button",
      className: "button",
      textContent: gettext("Cancel"),
    })
    const dialog = crel(
      "dialog",
      { className: "desk-picker", "aria-labelledby": "desk-picker-title" },
      [
        title,
        ...(editing ? [] : [library, upload]),
        captionStep,
        crel("p", { className: "desk-picker__buttons" }, [insert, cancel]),
      ],
    )

    const choose = (item) => {
      chosen = item
      for (const li of grid.querySelectorAll("[aria-pressed]")) {
        li.setAttribute("aria-pressed", String(li.dataset.image === String(item.id)))
      }
      chosenPreview.textContent = `${gettext("Chosen:")} ${item.caption || item.alt}`
      captionInput.value = item.caption
      captionStep.hidden = false
      insert.disabled = false
    }
    const show = (results) => {
      grid.replaceChildren(
        ...results.map((item) => {
          const button = crel(
            "button",
            {
              type: "button",
              className: "desk-picker__item",
              "data-image": item.id,
              "aria-pressed": "false",
            },
            [
              crel("img", { src: item.thumbnail, alt: item.alt, width: 160 }),
              crel("span", { textContent: item.caption || item.alt }),
            ],
          )
          button.addEventListener("click", () => choose(item))
          return crel("li", {}, [button])
        }),
      )
      if (!results.length) {
        grid.append(crel("li", { textContent: gettext("No pictures match.") }))
      }
    }
    let searching = null
    const find = () => {
      clearTimeout(searching)
      searching = setTimeout(async () => {
        const url = `${options.pickerUrl}?${new URLSearchParams({ q: search.value })}`
        const response = await fetch(url, { credentials: "same-origin" })
        if (response.ok) show((await response.json()).results)
      }, 200)
    }
    search.addEventListener("input", find)

    uploadButton.addEventListener("click", async () => {
      const data = new FormData()
      for (const [name, input] of Object.entries(uploadFields)) {
        if (name === "file") {
          if (input.files[0]) data.append(name, input.files[0])
        } else {
          data.append(name, input.value)
        }
      }
      uploadButton.disabled = true
      uploadErrors.replaceChildren()
      const response = await fetch(options.uploadUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
      })
      uploadButton.disabled = false
      const answer = await response.json().catch(() => ({}))
      if (response.ok) {
        show([answer])
        choose(answer)
        return
      }
      const messages = Object.values(answer.errors || {}).flat()
      uploadErrors.replaceChildren(
        ...(messages.length ? messages : [gettext("The upload failed.")]).map(
          (text) => crel("li", { textContent: text }),
        ),
      )
    })

    const close = (value) => {
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    cancel.addEventListener("click", () => close(null))
    dialog.addEventListener("cancel", () => close(null))
    insert.addEventListener("click", () => {
      if (editing) {
        close({ caption: captionInput.value.trim() })
        return
      }
      if (!chosen) return
      const own = captionInput.value.trim()
      close({
        image: String(chosen.id),
        caption: own === (chosen.caption || "").trim() ? "" : own,
      })
    })

    document.body.append(dialog)
    dialog.showModal()
    if (!editing) find()
  })
}

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,
  selectable: true,

  addOptions() {
    return { pickerUrl: null, uploadUrl: null }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (element) => element.getAttribute("data-image"),
      },
      caption: {
        default: "",
        parseHTML: (element) =>
          element.querySelector("figcaption")?.textContent.trim() || "",
      },
    }
  },

  parseHTML() {
    return [{ tag: "figure[data-image]" }]
  },

  renderHTML({ node }) {
    const attrs = { "data-image": node.attrs.image }
    return node.attrs.caption
      ? ["figure", attrs, ["figcaption", {}, node.attrs.caption]]
      : ["figure", attrs]
  },

  addNodeView() {
    return ({ node }) => ({ dom: figureView(this.options, node) })
  },

  addCommands() {
    return {
      insertLibraryImage:
        (attrs) =>
        ({ commands }) =>
          commands.insertContent({ type: this.name, attrs }),
    }
  },

  addMenuItems({ buttons, menu }) {
    const options = this.options
    menu.defineItem({
      name: "libraryImage",
      groups: "nodes",
      button: buttons.material("image", gettext("Insert a picture from the library")),
      active: (editor) => editor.isActive("libraryImage"),
      async command(editor) {
        const selected = editor.state.selection.node
        if (selected?.type.name === "libraryImage") {
          const changed = await pictureDialog(options, {
            caption: selected.attrs.caption,
            editing: true,
          })
          if (changed) editor.chain().focus().updateAttributes("libraryImage", changed).run()
          return
        }
        const picked = await pictureDialog(options)
        if (picked) editor.chain().focus().insertLibraryImage(picked).run()
      },
    })
  },
})
