// Standalone check of the engine over vad_core, for GPU machines without Node: builds the default
// U-Net, trains a few steps (plain, with the attention term, then with synthetic defects and the supervision
// of the attention map) and explains a batch, on random data; then the same U-Net with a segmentation head,
// trained on synthetic defects and explained with its map; and prints timings.
//
//   vad_engine_check [--size 128] [--channels 1] [--depth 4] [--base 16] [--batch 16] [--steps 10]
//                    [--device auto|cpu|cuda] [--attention-weight 0.1] [--supervision-weight 1] [--no-amp]
//                    [--no-segmentation-head]
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/model.h"

namespace {

struct Args {
  int64_t size = 128;
  int64_t channels = 1;
  int64_t depth = 4;
  int64_t base = 16;
  int64_t batch = 16;
  int64_t steps = 10;
  std::string device = "auto";
  double attention_weight = 0.1;
  double supervision_weight = 1;
  bool amp = true;
  bool segmentation_head = true;
};

[[noreturn]] void Usage(const std::string& problem) {
  std::fprintf(stderr,
               "%s\nusage: vad_engine_check [--size N] [--channels 1|3] [--depth 3-5] [--base N] [--batch N] "
               "[--steps N] [--device auto|cpu|cuda] [--attention-weight X] [--supervision-weight X] [--no-amp] "
               "[--no-segmentation-head]\n",
               problem.c_str());
  std::exit(2);
}

Args Parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--no-amp") {
      args.amp = false;
      continue;
    }
    if (flag == "--no-segmentation-head") {
      args.segmentation_head = false;
      continue;
    }
    if (i + 1 >= argc) Usage("missing value after " + flag);
    const std::string value = argv[++i];
    try {
      if (flag == "--size") {
        args.size = std::stoll(value);
      } else if (flag == "--channels") {
        args.channels = std::stoll(value);
      } else if (flag == "--depth") {
        args.depth = std::stoll(value);
      } else if (flag == "--base") {
        args.base = std::stoll(value);
      } else if (flag == "--batch") {
        args.batch = std::stoll(value);
      } else if (flag == "--steps") {
        args.steps = std::stoll(value);
      } else if (flag == "--device") {
        args.device = value;
      } else if (flag == "--attention-weight") {
        args.attention_weight = std::stod(value);
      } else if (flag == "--supervision-weight") {
        args.supervision_weight = std::stod(value);
      } else {
        Usage("unknown flag " + flag);
      }
    } catch (const std::logic_error&) {
      Usage("bad value '" + value + "' for " + flag);
    }
  }
  if (args.batch < 2 || args.steps < 1) Usage("--batch must be >= 2 and --steps >= 1");
  return args;
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

// options: the variant's own fields; the run's size and device come from args.
void TimeTraining(vad::AnomalyModel& model, const vad::Images& images, const Args& args, vad::TrainOptions options) {
  options.epochs = args.steps;  // one step per epoch: the data holds exactly one batch
  options.batch_size = args.batch;
  options.device = args.device;
  options.mixed_precision = args.amp;
  std::vector<double> step_seconds;
  auto last = std::chrono::steady_clock::now();
  std::atomic<bool> cancel{false};
  const auto result = model.Train(
      images, std::nullopt, options,
      [&](const vad::TrainProgress& p) {
        step_seconds.push_back(Seconds(last));
        last = std::chrono::steady_clock::now();
        std::printf(
            "  step %2lld  loss %.5f  attention %.3g  supervision %.3g  segmentation %.3g  |grad| %.3g  %.1f s\n",
            static_cast<long long>(p.epoch), p.loss, p.attention_loss, p.supervision_loss, p.segmentation_loss,
            p.gradient_norm, step_seconds.back());
      },
      cancel);
  // The first step pays for allocations and kernel selection; report the rest.
  double steady = 0;
  for (size_t i = 1; i < step_seconds.size(); ++i) steady += step_seconds[i];
  const double per_step =
      step_seconds.size() > 1 ? steady / static_cast<double>(step_seconds.size() - 1) : step_seconds.front();
  std::printf("  device %s%s: %.3f s/step after the first, %.1f images/s\n", result.device.c_str(),
              result.mixed_precision ? " (bf16 autocast)" : "", per_step, static_cast<double>(args.batch) / per_step);
}

}  // namespace

int main(int argc, char** argv) {
  // OpenMP threads that wait passively, as lib/addon.ts sets for Node: libgomp's default spinning
  // starves a shared machine (README.md, "Benchmark"). libgomp reads the variable when it loads, before
  // main, so set it and start the program again; a value set by the user is kept.
  if (!std::getenv("OMP_WAIT_POLICY") && setenv("OMP_WAIT_POLICY", "PASSIVE", 1) == 0) {
    execv("/proc/self/exe", argv);  // returns only on failure: then run with libgomp's default
  }
  const Args args = Parse(argc, argv);
  try {
    vad::ModelConfig config;
    config.image_size = args.size;
    config.channels = args.channels;
    config.depth = args.depth;
    config.base_channels = args.base;
    vad::AnomalyModel model(config);
    std::printf("%s\n", vad::DescribeRuntime().c_str());
    std::printf("U-Net: %lld x %lld x %lld, depth %lld, base %lld, %lld parameters\n",
                static_cast<long long>(args.channels), static_cast<long long>(args.size),
                static_cast<long long>(args.size), static_cast<long long>(args.depth),
                static_cast<long long>(args.base), static_cast<long long>(model.parameter_count()));

    std::vector<uint8_t> pixels(static_cast<size_t>(args.batch * args.channels * args.size * args.size));
    std::mt19937 random(7);
    for (auto& p : pixels) p = static_cast<uint8_t>(random() & 0xFF);
    const auto images =
        vad::Images::Copy(pixels.data(), pixels.size(), {args.batch, args.channels, args.size, args.size});

    std::printf("training, batch %lld, %lld steps:\n", static_cast<long long>(args.batch),
                static_cast<long long>(args.steps));
    TimeTraining(model, images, args, {});
    if (args.attention_weight > 0) {
      std::printf("training with the attention term (weight %g, layer enc1):\n", args.attention_weight);
      vad::TrainOptions attention;
      attention.attention_weight = args.attention_weight;
      TimeTraining(model, images, args, attention);
    }
    if (args.supervision_weight > 0) {
      std::printf("training with synthetic defects and the supervision (weight %g, layer enc1, no warm-up):\n",
                  args.supervision_weight);
      vad::TrainOptions supervised;
      supervised.synthetic_defects = vad::SyntheticDefectOptions{};
      supervised.supervision_weight = args.supervision_weight;
      supervised.supervision_warmup = 0;
      TimeTraining(model, images, args, supervised);
    }

    vad::ExplainOptions explain;
    explain.maps = {vad::MapKind::GradCamLoss, vad::MapKind::GradCamLatent, vad::MapKind::GradCamResidual,
                    vad::MapKind::Residual, vad::MapKind::Ssim};
    explain.batch_size = args.batch;
    explain.device = args.device;
    for (int round = 0; round < 2; ++round) {  // the second round shows the warm timing
      const auto start = std::chrono::steady_clock::now();
      const auto output = model.Explain(images, explain);
      const double seconds = Seconds(start);
      double max_cam = 0;
      for (const float v : output.map_values[0]) max_cam = std::max(max_cam, static_cast<double>(v));
      std::printf("explain (5 maps, batch %lld) round %d: %.3f s, %.1f ms/image, max Grad-CAM %.3g\n",
                  static_cast<long long>(args.batch), round + 1, seconds,
                  1000 * seconds / static_cast<double>(output.count), max_cam);
    }
    if (args.segmentation_head) {
      config.segmentation_head = true;
      vad::AnomalyModel headed(config);
      std::printf("training with synthetic defects and the segmentation head (%lld parameters in all):\n",
                  static_cast<long long>(headed.parameter_count()));
      vad::TrainOptions synthetic;
      synthetic.synthetic_defects = vad::SyntheticDefectOptions{};
      TimeTraining(headed, images, args, synthetic);
      vad::ExplainOptions segmentation;
      segmentation.maps = {vad::MapKind::Segmentation, vad::MapKind::Residual};
      segmentation.batch_size = args.batch;
      segmentation.device = args.device;
      const auto start = std::chrono::steady_clock::now();
      const auto output = headed.Explain(images, segmentation);
      const double seconds = Seconds(start);
      const auto [low, high] = std::minmax_element(output.map_values[0].begin(), output.map_values[0].end());
      std::printf("explain (segmentation and residual maps, batch %lld): %.3f s, segmentation map in [%.3g, %.3g]\n",
                  static_cast<long long>(args.batch), seconds, static_cast<double>(*low), static_cast<double>(*high));
    }
    std::printf("engine check passed\n");
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "engine check failed: %s\n", e.what());
    return 1;
  }
}
