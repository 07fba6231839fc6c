//! The pipeline's clock, as the engine, the files and the watchdog read it: the clock's time
//! and the pipeline's base, and a buffer's timestamp as running time.

use gstreamer as gst;
use gstreamer::prelude::*;

/// The pipeline clock's time and the pipeline's base time, in nanoseconds.
pub(super) fn clock_now(pipeline: &gst::Pipeline) -> Option<(u64, u64)> {
    let clock = pipeline.clock()?;
    let base = pipeline.base_time()?;
    Some((clock.time().nseconds(), base.nseconds()))
}

/// A buffer timestamp as running time (encoders may shift their segments, x264enc by
/// 1000 hours): what the muxer writes and the pipeline clock measures.
pub(super) fn running_time(pad: &gst::Pad, pts: Option<gst::ClockTime>) -> Option<u64> {
    let pts = pts?;
    let segment = pad.sticky_event::<gst::event::Segment>(0)?;
    let segment = segment.segment().downcast_ref::<gst::ClockTime>()?;
    segment.to_running_time(pts).map(|time| time.nseconds())
}
