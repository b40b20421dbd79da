//! The page's effects, as hooks: the clock, the keyboard, the address bar,
//! links pasted into it, the screen's width, and the live app taking over
//! from the prerendered page. Effects never run while prerendering, so the
//! web APIs they call are only reached in the browser.

use super::topology::Layout;
use crate::playground::url::{self, Page};
use crate::playground::{Action, Playground, Step};
use gloo::events::{EventListener, EventListenerOptions};
use gloo::timers::callback::{Interval, Timeout};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

/// Milliseconds between clock ticks while playing.
const TICK_MS: u32 = 50;

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = performance, js_name = mark)]
    fn performance_mark(name: &str);
    /// The page's clock, in milliseconds: for sizing work, never for the
    /// simulation, whose time is simulated.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn now_ms() -> f64;
}

/// A callback that sends actions to a reducer; the same value on every
/// render, so components that take it are not re-rendered for it.
#[hook]
pub fn use_dispatch(state: &UseReducerHandle<Playground>) -> Callback<Action> {
    let dispatcher = state.dispatcher();
    (*use_memo((), move |_| {
        Callback::from(move |action: Action| dispatcher.dispatch(action))
    }))
    .clone()
}

/// The clock: ticks while playing, at the chosen speed.
#[hook]
pub fn use_clock(playing: bool, speed: u32, dispatch: Callback<Action>) {
    use_effect_with((playing, speed), move |(playing, speed)| {
        let interval = playing.then(|| {
            let step = u64::from(*speed) * u64::from(TICK_MS) / 1_000;
            Interval::new(TICK_MS, move || dispatch.emit(Action::Tick(step.max(1))))
        });
        move || drop(interval)
    });
}

/// A run still under way gets its next slice in a task of its own, so the
/// page answers clicks and keys between slices. `slices` is the count so
/// far: each new count schedules one more. Each slice is sized by what the
/// last took on this device ([`crate::playground::next_slice`]).
#[hook]
pub fn use_slices(slices: Option<u64>, dispatch: Callback<Action>) {
    let size = use_mut_ref(|| crate::playground::SLICE);
    use_effect_with(slices, move |slices| {
        // A new run starts from the first guess: the last slice of the one
        // before ran only what was left, so what it took says little.
        if *slices == Some(0) {
            *size.borrow_mut() = crate::playground::SLICE;
        }
        let next = slices.map(|_| {
            Timeout::new(0, move || {
                let events = *size.borrow();
                let started = now_ms();
                dispatch.emit(Action::Continue(events));
                *size.borrow_mut() = crate::playground::next_slice(events, now_ms() - started);
            })
        });
        move || drop(next)
    });
}

/// The page the browser shows now (the app moves between pages with
/// `history.replaceState`).
fn current_page() -> Page {
    Page::from_path(
        &gloo::utils::window()
            .location()
            .pathname()
            .unwrap_or_default(),
    )
}

/// The site's root as `boot.js` found it (an absolute address, right
/// whatever form the page's own address takes), or else relative to the
/// page shown.
fn site_root() -> String {
    js_sys::Reflect::get(
        &gloo::utils::window(),
        &JsValue::from_str("tunnelscopeRoot"),
    )
    .ok()
    .and_then(|root| root.as_string())
    .unwrap_or_else(|| current_page().root().to_string())
}

/// The address bar always holds the whole view: the page of its scenario or
/// symptom, and the rest in the fragment; the tab's title names the page.
/// It is written just after the frame (a long link takes milliseconds to
/// store), and not on every clock tick while playing: browsers throttle
/// pages that rewrite their address many times a second, and an edited
/// scenario's address carries its whole text. Pausing writes the time
/// reached; moving to another page is written at once, since the page's
/// links are relative to it. A link pasted into the address bar, or Back
/// and Forward, replace the view.
///
/// Nothing is written before a link still being opened is read (`ready`).
#[hook]
pub fn use_address(state: &UseReducerHandle<Playground>, ready: bool, dispatch: Callback<Action>) {
    let page = Page::of(state);
    let address = (ready && !state.playing).then(|| url::address(state));
    // The tab says what the heading says: an edited view names its edits.
    let title = match state.origin {
        crate::playground::Origin::Edited => format!("{} · tunnelscope", state.heading()),
        crate::playground::Origin::Library(_) => page.title(),
    };
    // The address last written, to tell the app's own writes from a link.
    let written = use_mut_ref(String::new);
    {
        let (written, handle) = (written.clone(), state.clone());
        use_effect_with(
            (address, page, ready, title),
            move |(address, page, ready, title)| {
                let moved = *ready && current_page() != *page;
                let address = address
                    .clone()
                    .or_else(|| moved.then(|| url::address(&handle)));
                let title = title.clone();
                let write = address.map(|address| {
                    written.borrow_mut().clone_from(&address);
                    Timeout::new(0, move || {
                        let window = gloo::utils::window();
                        if let Ok(history) = window.history() {
                            let target = format!("{}{address}", site_root());
                            let _ =
                                history.replace_state_with_url(&JsValue::NULL, "", Some(&target));
                        }
                        gloo::utils::document().set_title(&title);
                    })
                });
                move || drop(write)
            },
        );
    }
    use_effect_with((), move |_| {
        let follow = move |_: &web_sys::Event| {
            let hash = gloo::utils::window().location().hash().unwrap_or_default();
            let page = current_page();
            let here = format!("{}#{}", page.path(), hash.trim_start_matches('#'));
            if here != *written.borrow() && url::names_a_view(&hash) {
                dispatch.emit(Action::OpenLink(page, hash));
            }
        };
        let window = gloo::utils::window();
        let listeners = [
            EventListener::new(&window, "hashchange", follow.clone()),
            EventListener::new(&window, "popstate", follow),
        ];
        move || drop(listeners)
    });
}

/// Keyboard: space plays or pauses, arrows step by packet (with Shift, by
/// event). Typing in a field is left alone.
#[hook]
pub fn use_keyboard(dispatch: Callback<Action>) {
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let typing = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|e| {
                        matches!(e.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                    });
                if typing {
                    return;
                }
                let action = match (event.key().as_str(), event.shift_key()) {
                    (" ", _) => Action::TogglePlay,
                    ("ArrowRight", false) => Action::Step(Step::NextPacket),
                    ("ArrowLeft", false) => Action::Step(Step::PreviousPacket),
                    ("ArrowRight", true) => Action::Step(Step::NextEvent),
                    ("ArrowLeft", true) => Action::Step(Step::PreviousEvent),
                    _ => return,
                };
                event.prevent_default();
                dispatch.emit(action);
            },
        );
        move || drop(listener)
    });
}

/// The layout that fits the screen now, following changes of width (a
/// phone turned sideways). Starts from `initial`, which the caller reads
/// before the first render so the live app's first frame already fits.
#[hook]
pub fn use_layout(initial: Layout) -> Layout {
    let layout = use_state_eq(|| initial);
    {
        let layout = layout.clone();
        use_effect_with((), move |_| {
            let query = gloo::utils::window()
                .match_media(Layout::TALL_QUERY)
                .ok()
                .flatten();
            let listener = query.map(|query| {
                let target = query.clone();
                EventListener::new(&target, "change", move |_| {
                    layout.set(if query.matches() {
                        Layout::Tall
                    } else {
                        Layout::Wide
                    });
                })
            });
            move || drop(listener)
        });
    }
    *layout
}

/// The layout for a live render started now.
#[cfg(target_arch = "wasm32")]
pub fn layout_now() -> Layout {
    let tall = gloo::utils::window()
        .match_media(Layout::TALL_QUERY)
        .ok()
        .flatten()
        .is_some_and(|query| query.matches());
    if tall { Layout::Tall } else { Layout::Wide }
}

/// A link read after the first frame (`link`: its page and fragment) is
/// opened in two tasks of its own: one reads the scenario it carries
/// ([`crate::playground::url::prepare`]), the next opens it (running it
/// and drawing it). True once it has been opened (or when there is none),
/// so that the page takes over and writes its address only then.
#[hook]
pub fn use_open_link(link: Option<(Page, String)>, dispatch: Callback<Action>) -> bool {
    let opened = use_state(|| link.is_none());
    {
        let opened = opened.clone();
        use_effect_with((), move |_| {
            let open_next: Rc<RefCell<Option<Timeout>>> = Rc::default();
            let read = link.map(|(page, fragment)| {
                let open_next = Rc::clone(&open_next);
                Timeout::new(0, move || {
                    url::prepare(&fragment);
                    *open_next.borrow_mut() = Some(Timeout::new(0, move || {
                        dispatch.emit(Action::OpenLink(page, fragment));
                        opened.set(true);
                    }));
                })
            });
            move || {
                drop(read);
                drop(open_next.take());
            }
        });
    }
    *opened
}

/// After the live view's first render: it replaces the prerendered one in
/// the same frame (same markup, so nothing moves), the document says so in
/// `data-live`, and `mark` is set on the frame after (`make bench-web`
/// times the page to it). `node` is an element of the live view; its
/// parent is the container it was rendered into, right after the
/// prerendered element.
/// It waits until it is `ready` (a link read after the first frame).
#[hook]
pub fn use_takeover(node: NodeRef, live: &'static str, mark: &'static str, ready: bool) {
    use_effect_with(ready, move |ready| {
        if !*ready {
            return;
        }
        if let Some(container) = node
            .cast::<web_sys::Element>()
            .and_then(|element| element.parent_element())
        {
            if let Some(prerendered) = container.previous_element_sibling()
                && prerendered.has_attribute("data-prerendered")
            {
                prerendered.remove();
            }
            let _ = container.remove_attribute("hidden");
        }
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = root.set_attribute("data-live", live);
            // A link with an edited scenario hid the prerendered one.
            let _ = root.class_list().remove_1("pending");
        }
        after_next_frame(move || performance_mark(mark));
    });
}

/// Runs `then` once the next frame has been painted (two animation frames).
fn after_next_frame(then: impl FnOnce() + 'static) {
    let first = Closure::once_into_js(move || {
        let second = Closure::once_into_js(then);
        let _ = gloo::utils::window().request_animation_frame(second.unchecked_ref());
    });
    let _ = gloo::utils::window().request_animation_frame(first.unchecked_ref());
}

/// Marks that a render was committed: `make bench-web` times a toggle from
/// the change event to this mark.
#[hook]
pub fn use_rendered_mark() {
    use_effect(|| performance_mark("tunnelscope-rendered"));
}
