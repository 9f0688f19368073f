//! (b) CPU time for one frame of the full map at 1920×1080, at three zoom levels: the whole
//! economic circle, the science city, the core.
//!
//! Measured: building the scene afresh (`scene`), and the whole egui frame — scene, painting into
//! egui shapes and egui's tessellation into triangles (`frame`). Baseline in the same run: the
//! same egui frame painting only the background. Three kinds of frame: a repaint at the same
//! view, a pan (a new centre every frame) and the first frame at a new zoom (no line reused).
//! Target: < 3 ms per frame at every zoom; the whole circle under 2 ms.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc; // as the app (src/main.rs)

use criterion::{Criterion, criterion_group, criterion_main};

use chengyu_atlas::geodata::{self, DataSource};
use chengyu_atlas::render::egui_painter::{self, StrokeCache};
use chengyu_atlas::render::{SceneBuilder, SceneOptions, View};

const SIZE: [f32; 2] = [1920.0, 1080.0];

fn frame(c: &mut Criterion) {
    let atlas = geodata::load(&DataSource::Embedded).atlas;
    let mut builder = SceneBuilder::new(&atlas);
    let options = SceneOptions::default();
    let ctx = egui::Context::default();
    chengyu_atlas::ui::fonts::install(&ctx);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(SIZE[0], SIZE[1]),
        )),
        ..Default::default()
    };
    let mut group = c.benchmark_group("frame 1920x1080");
    group.bench_function("baseline: egui frame, background only", |b| {
        b.iter(|| {
            let output = ctx.run_ui(input(), |ui| {
                ui.painter()
                    .rect_filled(ui.max_rect(), 0.0, egui::Color32::WHITE);
            });
            ctx.tessellate(output.shapes, output.pixels_per_point)
        })
    });
    for zone in ["corridor", "science-city", "core"] {
        let view = View::fit(atlas.bounds_of(zone).expect("zone"), SIZE, 24.0);
        // Warm the geometry cache, as the first frame at a zoom band does.
        let scene = builder.build(&atlas, &view, &options);
        eprintln!(
            "{zone}: zoom {:.2}, {} items, {} vertices",
            view.zoom,
            scene.items.len(),
            scene.vertex_count()
        );
        // Built afresh: the view moves by a point each time (at the same view the builder
        // hands back the scene it kept, which "frame {zone}" measures).
        let mut nudge = 0u32;
        group.bench_function(format!("scene {zone}"), |b| {
            b.iter(|| {
                nudge += 1;
                let mut moved = view;
                moved.center[0] += f64::from(nudge % 2) * 360.0 / (256.0 * 2f64.powf(view.zoom));
                builder.build(&atlas, &moved, &options)
            })
        });
        // A repaint at the same view (hover, panels, the tour's progress): the lines'
        // meshes are reused.
        let mut strokes = StrokeCache::default();
        group.bench_function(format!("frame {zone}"), |b| {
            b.iter(|| {
                let output = ctx.run_ui(input(), |ui| {
                    let scene = builder.build(&atlas, &view, &options);
                    egui_painter::paint(&scene, ui.painter(), egui::Pos2::ZERO, &mut strokes);
                });
                ctx.tessellate(output.shapes, output.pixels_per_point)
            })
        });
        eprintln!(
            "{zone}: {} runs of lines, (vertices, indices) {:?}",
            strokes.len(),
            strokes.mesh_size()
        );
        // Panning: a new centre every frame, the meshes moved.
        let mut step = 0u32;
        group.bench_function(format!("frame {zone}, panning"), |b| {
            b.iter(|| {
                step += 1;
                let mut moved = view;
                // A point is 360° / 256·2^zoom of longitude.
                moved.center[0] += f64::from(step % 50) * 360.0 / (256.0 * 2f64.powf(view.zoom));
                let output = ctx.run_ui(input(), |ui| {
                    let scene = builder.build(&atlas, &moved, &options);
                    egui_painter::paint(&scene, ui.painter(), egui::Pos2::ZERO, &mut strokes);
                });
                ctx.tessellate(output.shapes, output.pixels_per_point)
            })
        });
        // The first frame at a new zoom: every line tessellated afresh (the scene is kept).
        group.bench_function(format!("frame {zone}, new zoom"), |b| {
            b.iter(|| {
                let output = ctx.run_ui(input(), |ui| {
                    let scene = builder.build(&atlas, &view, &options);
                    let mut fresh = StrokeCache::default();
                    egui_painter::paint(&scene, ui.painter(), egui::Pos2::ZERO, &mut fresh);
                });
                ctx.tessellate(output.shapes, output.pixels_per_point)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
