//! Writing runs in COCO's data format so that cocopp can post-process them.
