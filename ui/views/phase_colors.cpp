#include "phase_colors.h"

#include <array>

namespace loopscope::ui {
namespace {

// Hues picked to stay distinguishable for the common colour-vision deficiencies when placed next
// to each other on the wheel (orange / purple / grey / blue / green / red-brown).
struct Hue {
  QColor onLight;
  QColor onDark;
};

const Hue& phaseHue(Phase phase) {
  static const std::array<Hue, size_t(Phase::Count)> hues{{
      {QColor(0x5b, 0x6b, 0x7b), QColor(0xa9, 0xb8, 0xc6)},  // main script
      {QColor(0xd9, 0x73, 0x0d), QColor(0xff, 0xa8, 0x4d)},  // timers
      {QColor(0x7b, 0x52, 0xc4), QColor(0xb9, 0x9a, 0xf0)},  // pending
      {QColor(0x80, 0x86, 0x8e), QColor(0x9a, 0xa1, 0xaa)},  // idle
      {QColor(0x80, 0x86, 0x8e), QColor(0x9a, 0xa1, 0xaa)},  // prepare
      {QColor(0x1f, 0x6f, 0xd1), QColor(0x6c, 0xb0, 0xff)},  // poll
      {QColor(0x1e, 0x9a, 0x52), QColor(0x5c, 0xd6, 0x8d)},  // check
      {QColor(0xb0, 0x45, 0x32), QColor(0xf0, 0x85, 0x70)},  // close
  }};
  return hues[size_t(phase) < hues.size() ? size_t(phase) : 0];
}

QColor pick(const Hue& hue, const QPalette& palette) { return isDarkPalette(palette) ? hue.onDark : hue.onLight; }

}  // namespace

bool isDarkPalette(const QPalette& palette) { return palette.color(QPalette::Window).lightnessF() < 0.45; }

QColor phaseColor(Phase phase, const QPalette& palette) { return pick(phaseHue(phase), palette); }

QColor nextTickColor(const QPalette& palette) {
  return pick({QColor(0xc2, 0x18, 0x5b), QColor(0xff, 0x7a, 0xb0)}, palette);
}

QColor microtaskColor(const QPalette& palette) {
  return pick({QColor(0x00, 0x83, 0x8f), QColor(0x4d, 0xd0, 0xe1)}, palette);
}

QColor callbackColor(CallbackFamily family, const QPalette& palette) {
  switch (family) {
    case CallbackFamily::MainScript: return phaseColor(Phase::Main, palette);
    case CallbackFamily::Timer: return phaseColor(Phase::Timers, palette);
    case CallbackFamily::Immediate: return phaseColor(Phase::Check, palette);
    case CallbackFamily::NextTick: return nextTickColor(palette);
    case CallbackFamily::Microtask: return microtaskColor(palette);
    case CallbackFamily::Io: return phaseColor(Phase::Poll, palette);
    case CallbackFamily::Close: return phaseColor(Phase::Close, palette);
    case CallbackFamily::Other: break;
  }
  return phaseColor(Phase::Idle, palette);
}

QColor gcColor(int64_t bits, const QPalette& palette) {
  // Young-generation collections are frequent and cheap (light); old-generation ones are the
  // expensive pauses worth noticing (strong).
  if (bits & (GcScavenge | GcMinorMarkCompact))
    return pick({QColor(0x8d, 0x6e, 0x1f), QColor(0xe6, 0xc8, 0x5c)}, palette);
  if (bits & GcMarkSweepCompact) return pick({QColor(0xa3, 0x1d, 0x1d), QColor(0xff, 0x6b, 0x6b)}, palette);
  return pick({QColor(0x8a, 0x6a, 0x5a), QColor(0xc8, 0xa8, 0x98)}, palette);
}

QColor warningColor(const QPalette& palette) {
  return pick({QColor(0xc2, 0x4e, 0x00), QColor(0xff, 0xb3, 0x47)}, palette);
}

QColor jitTierColor(JitTier tier, const QPalette& palette) {
  if (tier == JitTier::TurboFan) return pick({QColor(0x2e, 0x7d, 0x32), QColor(0x81, 0xe0, 0x85)}, palette);
  return pick({QColor(0x78, 0x90, 0x9c), QColor(0x90, 0xa4, 0xae)}, palette);
}

QColor childProcessColor(const QPalette& palette) {
  return pick({QColor(0x6d, 0x4c, 0x41), QColor(0xbc, 0xaa, 0xa4)}, palette);
}

QColor threadFlowColor(const QPalette& palette) {
  return pick({QColor(0x37, 0x47, 0x4f), QColor(0xec, 0xef, 0xf1)}, palette);
}

QColor errorColor(const QPalette& palette) {
  return pick({QColor(0xc6, 0x28, 0x28), QColor(0xff, 0x6e, 0x6e)}, palette);
}

QColor faded(const QColor& color, const QPalette& palette, double amount) {
  QColor bg = palette.color(QPalette::Window);
  auto mix = [&](double a, double b) { return a * (1.0 - amount) + b * amount; };
  return QColor::fromRgbF(float(mix(color.redF(), bg.redF())), float(mix(color.greenF(), bg.greenF())),
                          float(mix(color.blueF(), bg.blueF())));
}

QColor textColorOn(const QColor& fill) {
  // Relative luminance (sRGB weights) decides; 0.55 keeps white text on the mid-tone hues.
  double y = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
  return y > 0.55 ? QColor(Qt::black) : QColor(Qt::white);
}

QString phaseTitle(Phase phase) {
  if (phase == Phase::Main) return QStringLiteral("main script");
  return QString::fromUtf8(phaseName(phase).data(), qsizetype(phaseName(phase).size()));
}

QString phaseExplanation(Phase phase) {
  switch (phase) {
    case Phase::Main: return QStringLiteral("The main script runs once, top to bottom, before the event loop starts.");
    case Phase::Timers:
      return QStringLiteral("Timers: runs the setTimeout / setInterval callbacks whose time has come.");
    case Phase::Pending:
      return QStringLiteral(
          "Pending: runs I/O callbacks libuv deferred from the previous iteration "
          "(some errors, some writes).");
    case Phase::Idle:
    case Phase::Prepare: return QStringLiteral("Idle, prepare: used by Node internally (no user callbacks run here).");
    case Phase::Poll:
      return QStringLiteral(
          "Poll: waits for I/O (up to the next timer's due time) and runs I/O "
          "callbacks. If setImmediate callbacks are queued, it does not wait.");
    case Phase::Check:
      return QStringLiteral(
          "Check: runs setImmediate callbacks, right after poll. That is why "
          "setImmediate beats setTimeout inside an I/O callback.");
    case Phase::Close: return QStringLiteral("Close: runs 'close' callbacks (socket.on('close'), handle.close()).");
    case Phase::Count: break;
  }
  return {};
}

}  // namespace loopscope::ui
