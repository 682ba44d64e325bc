//! Label placement for maps: each label tries a few positions around its point, in order of
//! preference, and takes the first whose box stays inside the frame and overlaps no box already taken
//! (labels, markers, the inset). Labels are placed in priority order, so a label that finds no room is
//! the least important one there, and it is left out rather than drawn over another.
//!
//! Box sizes come from [`text_width`], a per-character estimate of the widths of the default sans-serif
//! faces (DejaVu Sans, Liberation Sans, Arial) that errs on the wide side, so boxes that do not overlap
//! here do not overlap on screen either (the browser tests measure the rendered boxes).

/// An axis-aligned box in map units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LabelBox {
    /// Left edge.
    pub x0: f64,
    /// Top edge (map y grows downwards).
    pub y0: f64,
    /// Right edge.
    pub x1: f64,
    /// Bottom edge.
    pub y1: f64,
}

impl LabelBox {
    /// The square of half-side `r` centred on (x, y): a point marker.
    pub fn around(x: f64, y: f64, r: f64) -> LabelBox {
        LabelBox {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        }
    }

    /// Whether the two boxes share any area.
    pub fn overlaps(&self, o: &LabelBox) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    fn inside(&self, w: f64, h: f64) -> bool {
        self.x0 >= 1.0 && self.y0 >= 1.0 && self.x1 <= w - 1.0 && self.y1 <= h - 1.0
    }
}

/// Estimated advance width of `text` at `font_px`, generous by design.
pub fn text_width(text: &str, font_px: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | '\'' | '|' | ':' | ';' | '!' | 'ı' => 0.32,
            'f' | 't' | 'r' | ' ' | '(' | ')' | '-' | 'I' => 0.42,
            'm' | 'w' | 'M' | 'W' | '—' => 0.95,
            c if c.is_ascii_digit() => 0.65,
            c if c.is_uppercase() => 0.75,
            _ => 0.63,
        })
        .sum();
    em * font_px + 2.0
}

/// Where a label sits relative to its point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    /// The text begins at the point (SVG `text-anchor: start`).
    Start,
    /// The text is centred on the point.
    Middle,
    /// The text ends at the point.
    End,
}

impl Anchor {
    /// The value of SVG's `text-anchor`.
    pub fn svg(self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A placed label: its text origin (baseline) and anchor, and the box it covers.
#[derive(Clone, Debug)]
pub struct Placed {
    /// The text origin's x, map units.
    pub x: f64,
    /// The baseline's y, map units.
    pub y: f64,
    /// How the text lines up with `x`.
    pub anchor: Anchor,
    /// The box the text covers.
    #[cfg_attr(not(test), allow(dead_code))]
    pub bounds: LabelBox,
}

/// Places labels one by one in a `width` × `height` frame.
#[derive(Debug)]
pub struct Placer {
    width: f64,
    height: f64,
    taken: Vec<LabelBox>,
    /// The boxes of the labels placed so far (not the obstacles), for tests and checks.
    pub labels: Vec<LabelBox>,
}

impl Placer {
    /// A placer with nothing placed in a `width` × `height` frame (map units).
    pub fn new(width: f64, height: f64) -> Placer {
        Placer {
            width,
            height,
            taken: Vec::new(),
            labels: Vec::new(),
        }
    }

    /// Something labels must not cover (a node marker, the inset).
    pub fn block(&mut self, b: LabelBox) {
        self.taken.push(b);
    }

    fn free(&self, b: &LabelBox) -> bool {
        b.inside(self.width, self.height) && !self.taken.iter().any(|t| t.overlaps(b))
    }

    /// A label of `text` next to a point marker of radius `r` at (x, y): right, left, above, below,
    /// then the diagonals. `None` when every position collides or leaves the frame.
    pub fn beside(&mut self, text: &str, font_px: f64, x: f64, y: f64, r: f64) -> Option<Placed> {
        let w = text_width(text, font_px);
        let ascent = font_px * 0.8;
        let descent = font_px * 0.3;
        let gap = r + 3.0;
        let mid = y + ascent / 2.0 - descent / 2.0;
        let candidates = [
            (x + gap, mid, Anchor::Start),
            (x - gap, mid, Anchor::End),
            (x, y - gap - descent, Anchor::Middle),
            (x, y + gap + ascent, Anchor::Middle),
            (x + gap * 0.7, y - gap * 0.7 - descent, Anchor::Start),
            (x + gap * 0.7, y + gap * 0.7 + ascent, Anchor::Start),
            (x - gap * 0.7, y - gap * 0.7 - descent, Anchor::End),
            (x - gap * 0.7, y + gap * 0.7 + ascent, Anchor::End),
        ];
        candidates
            .into_iter()
            .find_map(|(tx, ty, anchor)| self.try_at(tx, ty, anchor, w, ascent, descent))
    }

    /// A label centred on (x, y) (an area's label), nudged a little if that spot is taken.
    pub fn centred(&mut self, text: &str, font_px: f64, x: f64, y: f64) -> Option<Placed> {
        let w = text_width(text, font_px);
        let ascent = font_px * 0.8;
        let descent = font_px * 0.3;
        let base = y + ascent / 2.0;
        [
            (0.0, 0.0),
            (0.0, -14.0),
            (0.0, 14.0),
            (-20.0, 0.0),
            (20.0, 0.0),
        ]
        .into_iter()
        .find_map(|(dx, dy)| self.try_at(x + dx, base + dy, Anchor::Middle, w, ascent, descent))
    }

    fn try_at(
        &mut self,
        x: f64,
        y: f64,
        anchor: Anchor,
        w: f64,
        ascent: f64,
        descent: f64,
    ) -> Option<Placed> {
        let x0 = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        let bounds = LabelBox {
            x0: x0 - 1.5,
            y0: y - ascent - 1.5,
            x1: x0 + w + 1.5,
            y1: y + descent + 1.5,
        };
        if !self.free(&bounds) {
            return None;
        }
        self.taken.push(bounds);
        self.labels.push(bounds);
        Some(Placed {
            x,
            y,
            anchor,
            bounds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crowded_label_moves_and_a_hopeless_one_is_left_out() {
        let mut p = Placer::new(400.0, 200.0);
        let a = p.beside("Aktau", 11.0, 100.0, 100.0, 3.0).unwrap();
        assert_eq!(a.anchor, Anchor::Start);
        // A point just below: its right-hand slot overlaps Aktau's label, so it goes elsewhere.
        let k = p.beside("Kuryk", 11.0, 100.0, 106.0, 3.0).unwrap();
        assert!(!k.bounds.overlaps(&a.bounds));
        // Near the right edge a label turns left rather than leave the frame.
        let e = p.beside("Alashankou", 11.0, 395.0, 50.0, 3.0).unwrap();
        assert!(e.bounds.x1 <= 399.0 && e.anchor != Anchor::Start);
        // Surrounded on every side: no room.
        let mut q = Placer::new(400.0, 200.0);
        q.block(LabelBox {
            x0: 0.0,
            y0: 0.0,
            x1: 400.0,
            y1: 200.0,
        });
        assert!(q.beside("Baku", 11.0, 200.0, 100.0, 3.0).is_none());
        for (i, b) in p.labels.iter().enumerate() {
            for c in &p.labels[i + 1..] {
                assert!(!b.overlaps(c));
            }
        }
    }

    #[test]
    fn widths_grow_with_the_text_and_the_font() {
        assert!(text_width("Novorossiysk", 11.0) > text_width("Baku", 11.0));
        assert!(text_width("Baku", 13.0) > text_width("Baku", 11.0));
        // "Ceyhan" in 11 px DejaVu Sans is about 40 px wide; the estimate is not narrower.
        assert!(text_width("Ceyhan", 11.0) >= 40.0);
    }
}
