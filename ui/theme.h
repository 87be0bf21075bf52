// Light and dark themes, and the classroom presentation mode (larger font, high contrast).
// The views take every colour from the palette (ui/views/phase_colors.h), so switching the
// application palette is enough to recolour them. GUI thread only.
#pragma once

#include <QFont>
#include <QIcon>
#include <QString>

class QApplication;
class QPalette;

namespace loopscope::ui {

enum class Theme { Light, Dark };

QString themeName(Theme theme);  // "light" / "dark", as stored in the settings
Theme themeFromName(const QString& name);

// Applies Fusion with the theme's palette and style sheet. In presentation mode the palette is
// high-contrast and the application font kPresentationFontScale times larger. `zoomSteps`
// (Ctrl+Plus/Minus) scales every font once more by kZoomStepFactor per step, so the code, the
// console and the painted views grow together.
void applyAppearance(QApplication& app, Theme theme, bool presentation, int zoomSteps = 0);

constexpr double kPresentationFontScale = 1.45;
// Code on a projector is read from the back row: in presentation mode it is never smaller than
// this many pixels, whatever the platform's default font.
constexpr int kPresentationCodePixels = 22;
constexpr double kZoomStepFactor = 1.15;
constexpr int kMinZoomSteps = -4;
constexpr int kMaxZoomSteps = 8;

// The zoom of the last applyAppearance(), in steps (0 = none).
int appearanceZoomSteps();

// The monospace font for code (the editor and the console) at the current appearance: a little
// larger than the application font, and at least kPresentationCodePixels in presentation mode.
QFont codeFont();

// Whether the last applyAppearance() was in presentation mode. The look is the application's,
// so a window built after it (the automation interface builds one for a presentation picture)
// lays itself out for the projector too.
bool isPresentationAppearance();

// The toolbar's pictures, drawn in `palette`'s button-text colour rather than taken from the
// style: Fusion's media icons are dark grey and vanish on the dark theme's toolbar. Rebuild them
// whenever the palette changes.
enum class ToolbarGlyph { Run, Stop, Step, Continue, StepMode, HeapSnapshot, Lessons, LessonText };
QIcon toolbarIcon(ToolbarGlyph glyph, const QPalette& palette);

}  // namespace loopscope::ui
