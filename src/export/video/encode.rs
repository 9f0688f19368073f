//! Frames to an MP4 file: OpenH264 encodes each frame as H.264 (Constrained Baseline, which
//! PowerPoint, WeChat and every browser play), and the mp4 crate muxes the access units with
//! their timing: one sample a frame, at a constant rate.

use std::io::{Seek, Write};

use bytes::Bytes;
use openh264::OpenH264API;
use openh264::encoder::{
    Encoder, EncoderConfig, FrameRate, IntraFramePeriod, RateControlMode, UsageType, VuiConfig,
};

use super::yuv::Yuv420;

/// What stopped an encode: the file could not be written, or the codec failed.
#[derive(Debug)]
pub enum EncodeError {
    Io(std::io::Error),
    Codec(String),
}

impl From<mp4::Error> for EncodeError {
    fn from(error: mp4::Error) -> Self {
        match error {
            mp4::Error::IoError(io) => EncodeError::Io(io),
            other => EncodeError::Codec(other.to_string()),
        }
    }
}

/// An H.264 stream being written into an MP4 file.
pub struct Mp4Encoder<W: Write + Seek> {
    encoder: Encoder,
    /// The writer until the first frame gives the parameter sets the track needs.
    writer: Option<W>,
    mux: Option<mp4::Mp4Writer<W>>,
    width: u16,
    height: u16,
    fps: u32,
    /// The last access unit, held until the next frame (a frame the encoder drops lengthens it).
    pending: Option<mp4::Mp4Sample>,
    frames: u64,
}

fn failed(error: impl std::fmt::Display) -> EncodeError {
    EncodeError::Codec(error.to_string())
}

impl<W: Write + Seek> Mp4Encoder<W> {
    /// An encoder for `width` × `height` frames (both even) at `fps` frames a second.
    pub fn new(writer: W, width: u32, height: u32, fps: u32) -> Result<Self, EncodeError> {
        let (Ok(w), Ok(h)) = (u16::try_from(width), u16::try_from(height)) else {
            return Err(failed(format!(
                "{width} × {height} is too large for a video"
            )));
        };
        let config = EncoderConfig::new()
            // Screen content: a map's flat fills and text, kept sharp in files half the size
            // camera mode makes (5.4 against 10 MB for the 9-stop tour's minute).
            .usage_type(UsageType::ScreenContentRealTime)
            // Neither is made for screen content (OpenH264 turns them off, saying so).
            .adaptive_quantization(false)
            .background_detection(false)
            // No rate control: the encoder's own constant quality, every frame kept (the
            // video's length is the tour's timing; rate control would drop frames, and says so
            // on stderr when told not to).
            .rate_control_mode(RateControlMode::Off)
            .skip_frames(false)
            .max_frame_rate(FrameRate::from_hz(fps as f32))
            // A key frame every two seconds: a player seeks to any stop quickly.
            .intra_frame_period(IntraFramePeriod::from_num_frames(2 * fps))
            .vui(VuiConfig::bt709())
            // One thread: the other core draws the frames.
            .num_threads(1);
        let encoder =
            Encoder::with_api_config(OpenH264API::from_source(), config).map_err(failed)?;
        Ok(Self {
            encoder,
            writer: Some(writer),
            mux: None,
            width: w,
            height: h,
            fps,
            pending: None,
            frames: 0,
        })
    }

    /// Encodes the next frame.
    pub fn push(&mut self, frame: &Yuv420) -> Result<(), EncodeError> {
        let start_time = self.frames;
        self.frames += 1;
        let stream = self.encoder.encode(frame).map_err(failed)?;
        let mut sample = Vec::new();
        let (mut sps, mut pps) = (None, None);
        let mut sync = false;
        for layer in (0..stream.num_layers()).filter_map(|l| stream.layer(l)) {
            for nal in (0..layer.nal_count()).filter_map(|n| layer.nal_unit(n)) {
                let nal = without_start_code(nal);
                let Some(header) = nal.first() else {
                    continue;
                };
                match header & 0x1f {
                    7 => sps = Some(nal.to_vec()),
                    8 => pps = Some(nal.to_vec()),
                    kind => {
                        sync |= kind == 5;
                        sample.extend_from_slice(&(nal.len() as u32).to_be_bytes());
                        sample.extend_from_slice(nal);
                    }
                }
            }
        }
        if self.mux.is_none() {
            let (Some(sps), Some(pps)) = (sps, pps) else {
                return Err(failed("the first frame came without its parameter sets"));
            };
            self.start(sps, pps)?;
        }
        if sample.is_empty() {
            // Dropped by the encoder: the frame before lasts one frame longer.
            if let Some(pending) = &mut self.pending {
                pending.duration += 1;
            }
            return Ok(());
        }
        let next = mp4::Mp4Sample {
            start_time,
            duration: 1,
            rendering_offset: 0,
            is_sync: sync,
            bytes: Bytes::from(sample),
        };
        if let Some(done) = self.pending.replace(next) {
            self.write(&done)?;
        }
        Ok(())
    }

    fn start(&mut self, sps: Vec<u8>, pps: Vec<u8>) -> Result<(), EncodeError> {
        let writer = self.writer.take().ok_or_else(|| failed("started twice"))?;
        let brand = |b: &[u8; 4]| mp4::FourCC::from(*b);
        let config = mp4::Mp4Config {
            major_brand: brand(b"isom"),
            minor_version: 512,
            compatible_brands: vec![
                brand(b"isom"),
                brand(b"iso2"),
                brand(b"avc1"),
                brand(b"mp41"),
            ],
            // The movie's clock is the track's, one tick a frame: the mp4 crate converts each
            // sample's duration between the two with an integer division (1000/30 would make
            // a 122-s video 120.78 s long).
            timescale: self.fps,
        };
        let mut mux = mp4::Mp4Writer::write_start(writer, &config)?;
        mux.add_track(&mp4::TrackConfig {
            track_type: mp4::TrackType::Video,
            // One tick a frame.
            timescale: self.fps,
            language: "und".to_string(),
            media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                width: self.width,
                height: self.height,
                seq_param_set: sps,
                pic_param_set: pps,
            }),
        })
        .map_err(EncodeError::from)?;
        self.mux = Some(mux);
        Ok(())
    }

    fn write(&mut self, sample: &mp4::Mp4Sample) -> Result<(), EncodeError> {
        let mux = self.mux.as_mut().ok_or_else(|| failed("no track"))?;
        mux.write_sample(1, sample).map_err(EncodeError::from)
    }

    /// Writes the last frame and the file's index; returns the writer.
    pub fn finish(mut self) -> Result<W, EncodeError> {
        if let Some(last) = self.pending.take() {
            self.write(&last)?;
        }
        let mut mux = self.mux.take().ok_or_else(|| failed("no frames"))?;
        mux.write_end().map_err(EncodeError::from)?;
        Ok(mux.into_writer())
    }
}

/// A NAL unit without its Annex B start code (00 00 01 or 00 00 00 01).
fn without_start_code(nal: &[u8]) -> &[u8] {
    let zeros = nal.iter().take_while(|&&b| b == 0).count();
    if zeros >= 2 && nal.get(zeros) == Some(&1) {
        &nal[zeros + 1..]
    } else {
        nal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_codes_of_both_lengths_come_off() {
        assert_eq!(without_start_code(&[0, 0, 0, 1, 0x67, 9]), &[0x67, 9]);
        assert_eq!(without_start_code(&[0, 0, 1, 0x68]), &[0x68]);
        assert_eq!(without_start_code(&[0x65, 0, 0, 1]), &[0x65, 0, 0, 1]);
    }
}
