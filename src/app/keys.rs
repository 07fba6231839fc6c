//! The window's keys: the hotkeys that reach the session screen from anywhere, F-keys for
//! ready-made entries.

use iced::keyboard::{self, Key, key::Named};

use iced::{Event, event, window};

use crate::screen::session::Hotkey;

use super::Message;

/// F1–F12, Ctrl+digit, Ctrl+R and Escape, wherever the focus is.
pub fn hotkey(event: Event, _status: event::Status, _window: window::Id) -> Option<Message> {
    let Event::Keyboard(event) = event else {
        return None;
    };
    match event {
        keyboard::Event::ModifiersChanged(modifiers) => Some(Message::Ctrl(modifiers.control())),
        keyboard::Event::KeyPressed {
            key,
            physical_key,
            modifiers,
            ..
        } => {
            if let Key::Named(named) = &key {
                if *named == Named::Escape {
                    return Some(Message::Hotkey(Hotkey::Escape));
                }
                return function_number(*named).map(|n| Message::Hotkey(Hotkey::Function(n)));
            }
            if modifiers.control() && !modifiers.alt() {
                let latin = key.to_latin(physical_key)?;
                if latin == 'r' {
                    return Some(Message::Hotkey(Hotkey::Record));
                }
                let digit = latin.to_digit(10)?;
                return Some(Message::Hotkey(Hotkey::Speaker(digit as usize)));
            }
            None
        }
        _ => None,
    }
}

fn function_number(key: Named) -> Option<usize> {
    use Named::*;
    [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12]
        .iter()
        .position(|f| *f == key)
        .map(|index| index + 1)
}
