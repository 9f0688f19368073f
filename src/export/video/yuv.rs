//! A rendered frame (RGBA, opaque) as the encoder takes it: planar YUV 4:2:0 in BT.709's
//! limited range, which the stream's VUI declares, so that players show the map's colours
//! as the export's PNG has them.

use openh264::formats::YUVSource;

/// One frame in I420: the luma plane, then the two chroma planes at half size each way.
#[derive(Debug, Clone, PartialEq)]
pub struct Yuv420 {
    width: usize,
    height: usize,
    data: Vec<u8>,
}

/// BT.709 in 16-bit fixed point (×65 536), limited range: Y in 16‥235, Cb and Cr in 16‥240.
const KR: i32 = 11_966; // 0.2126 × 219/255 × 65 536
const KG: i32 = 40_254; // 0.7152 × 219/255
const KB: i32 = 4_064; // 0.0722 × 219/255
const CB_R: i32 = -6_597; // −0.1146 × 224/255
const CB_G: i32 = -22_187; // −0.3854 × 224/255
const CB_B: i32 = 28_784; // 0.5 × 224/255
const CR_R: i32 = 28_784; // 0.5 × 224/255
const CR_G: i32 = -26_147; // −0.4542 × 224/255 (rounded so that grey stays grey)
const CR_B: i32 = -2_637; // −0.0458 × 224/255

impl Yuv420 {
    /// Converts `rgba` (`width` × `height`, premultiplied, taken as opaque); both sides even.
    pub fn from_rgba(rgba: &[u8], width: usize, height: usize) -> Yuv420 {
        debug_assert!(width.is_multiple_of(2) && height.is_multiple_of(2));
        debug_assert_eq!(rgba.len(), width * height * 4);
        let (cw, ch) = (width / 2, height / 2);
        let mut data = vec![0u8; width * height + 2 * cw * ch];
        let (y_plane, chroma) = data.split_at_mut(width * height);
        let (u_plane, v_plane) = chroma.split_at_mut(cw * ch);
        for row in 0..height {
            let source = &rgba[row * width * 4..(row + 1) * width * 4];
            let target = &mut y_plane[row * width..(row + 1) * width];
            for (pixel, y) in source.chunks_exact(4).zip(target) {
                let (r, g, b) = (
                    i32::from(pixel[0]),
                    i32::from(pixel[1]),
                    i32::from(pixel[2]),
                );
                *y = (((KR * r + KG * g + KB * b + 32_768) >> 16) + 16) as u8;
            }
        }
        // Chroma from the mean of each 2 × 2 block.
        for row in 0..ch {
            let top = &rgba[2 * row * width * 4..(2 * row + 1) * width * 4];
            let bottom = &rgba[(2 * row + 1) * width * 4..(2 * row + 2) * width * 4];
            for column in 0..cw {
                let at = column * 8;
                let sum = |channel: usize| {
                    i32::from(top[at + channel])
                        + i32::from(top[at + 4 + channel])
                        + i32::from(bottom[at + channel])
                        + i32::from(bottom[at + 4 + channel])
                };
                let (r, g, b) = (sum(0), sum(1), sum(2));
                // The sums are four pixels': shift two more.
                let cb = ((CB_R * r + CB_G * g + CB_B * b + (1 << 17)) >> 18) + 128;
                let cr = ((CR_R * r + CR_G * g + CR_B * b + (1 << 17)) >> 18) + 128;
                u_plane[row * cw + column] = cb.clamp(16, 240) as u8;
                v_plane[row * cw + column] = cr.clamp(16, 240) as u8;
            }
        }
        Yuv420 {
            width,
            height,
            data,
        }
    }

    /// Back to RGB (checking the conversion).
    #[cfg(test)]
    fn pixel_rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let luma = f64::from(self.y()[y * self.width + x]) - 16.0;
        let at = (y / 2) * (self.width / 2) + x / 2;
        let cb = f64::from(self.u()[at]) - 128.0;
        let cr = f64::from(self.v()[at]) - 128.0;
        let y = luma * 255.0 / 219.0;
        let (cb, cr) = (cb * 255.0 / 224.0, cr * 255.0 / 224.0);
        let channel = |v: f64| v.round().clamp(0.0, 255.0) as u8;
        [
            channel(y + 1.5748 * cr),
            channel(y - 0.1873 * cb - 0.4681 * cr),
            channel(y + 1.8556 * cb),
        ]
    }
}

impl YUVSource for Yuv420 {
    fn dimensions(&self) -> (usize, usize) {
        (self.width, self.height)
    }

    fn strides(&self) -> (usize, usize, usize) {
        (self.width, self.width / 2, self.width / 2)
    }

    fn y(&self) -> &[u8] {
        &self.data[..self.width * self.height]
    }

    fn u(&self) -> &[u8] {
        let start = self.width * self.height;
        &self.data[start..start + self.width * self.height / 4]
    }

    fn v(&self) -> &[u8] {
        let start = self.width * self.height * 5 / 4;
        &self.data[start..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solid(rgb: [u8; 3]) -> Vec<u8> {
        [rgb[0], rgb[1], rgb[2], 255].repeat(16)
    }

    #[test]
    fn black_white_and_the_map_colours_survive_the_round_trip() {
        for rgb in [
            [0, 0, 0],
            [255, 255, 255],
            [0xdf, 0xe6, 0xea],
            [0xc6, 0x28, 0x28],
            [0x15, 0x65, 0xc0],
        ] {
            let yuv = Yuv420::from_rgba(&solid(rgb), 4, 4);
            let back = yuv.pixel_rgb(1, 1);
            for (a, b) in rgb.iter().zip(back) {
                assert!(a.abs_diff(b) <= 2, "{rgb:?} came back as {back:?}");
            }
        }
        let black = Yuv420::from_rgba(&solid([0, 0, 0]), 4, 4);
        assert_eq!((black.y()[0], black.u()[0], black.v()[0]), (16, 128, 128));
        let white = Yuv420::from_rgba(&solid([255, 255, 255]), 4, 4);
        assert_eq!((white.y()[0], white.u()[0], white.v()[0]), (235, 128, 128));
    }
}
