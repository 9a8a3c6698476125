#ifndef WB_VERSION_H
#define WB_VERSION_H
#include "wb_libversions.h"
#define WB_VERSION "0.1.0"
#endif
